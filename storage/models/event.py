"""Dated events of the working group: seminars, workshops, meetings and deadlines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.pilot import PilotAction

EVENT_KINDS = ("workshop", "seminar", "meeting", "deadline")
# How exact ``starts_at`` is: history often only records the month a seminar took place.
PRECISIONS = ("minute", "day", "month")


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("group_id", "seed_key"),
        CheckConstraint("kind IN ('workshop', 'seminar', 'meeting', 'deadline')", name="kind"),
        CheckConstraint("date_precision IN ('minute', 'day', 'month')", name="date_precision"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The IANA zone the time was given in; reminders and calendars are computed from it.
    timezone: Mapped[str] = mapped_column(String(64))
    date_precision: Mapped[str] = mapped_column(String(8), default="minute")
    place: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilot_action.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Identifies rows written by the seed so that seeding stays idempotent.
    seed_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    pilot: Mapped[PilotAction | None] = relationship()
