"""Reminders as rows: what is due when, to whom, and what became of it.

Never pickled scheduler jobs: a row holds a JSON target and payload, so a restart loses
nothing and any process can send it. Its ``status`` moves
``pending -> sending -> sent | skipped | failed`` (or ``cancelled`` when its event goes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.claim import SENDING, ClaimColumns

PENDING = "pending"
SENT = "sent"
SKIPPED = "skipped"
FAILED = "failed"
REMINDER_CANCELLED = "cancelled"
REMINDER_STATUSES = (PENDING, SENDING, SENT, SKIPPED, FAILED, REMINDER_CANCELLED)

# lead: before an event (to its channel); chase: a deadline has passed, regions still missing;
# direct: a direct message fanned out from a lead or chase row; notice: a one-off message
# (an event moved or was cancelled, a reminder failed).
REMINDER_KINDS = ("lead", "chase", "direct", "notice")


class Reminder(ClaimColumns, Base):
    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled')",
            name="status",
        ),
        CheckConstraint("kind IN ('lead', 'chase', 'direct', 'notice')", name="kind"),
        # The dispatcher's question: what is pending and due?
        Index("ix_reminder_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # When it should go out; "late" is measured against this.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the next attempt may start (due_at at first, later after a back-off).
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who receives it: the platform and a conversation reference on it
    # ({"channel": "C123"} or {"user": "U123"}, plus "workspace" where the platform has one).
    platform: Mapped[str] = mapped_column(String(16))
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What to say, as data: {"lead_minutes": 60, "event_sequence": 2, ...}.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the latest claim was taken (the claim's holder and lease: ClaimColumns).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    # The platform's reference to the message sent (Slack: "C123:1700000000.000100").
    message_ref: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    # Rows that must exist once (a direct message per person per parent) carry a key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarFeed(Base):
    """The secret in a group's calendar address; coordinators can rotate it."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), unique=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
