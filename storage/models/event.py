"""Dated events of the working group: seminars, workshops, meetings and deadlines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.member import Member
from storage.models.pilot import PilotAction
from storage.models.region import Region

EVENT_KINDS = ("workshop", "seminar", "meeting", "deadline")
# How exact ``starts_at`` is: history often only records the month a seminar took place.
PRECISIONS = ("minute", "day", "month")
SCHEDULED = "scheduled"
CANCELLED = "cancelled"
# The letter in front of the number people type: W12 is a workshop, D7 a deadline.
KIND_PREFIX = {"workshop": "W", "seminar": "S", "meeting": "M", "deadline": "D"}

# Deadlines: the regions that must deliver.
event_region = Table(
    "event_region",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
)


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("group_id", "seed_key"),
        UniqueConstraint("group_id", "number"),
        CheckConstraint("kind IN ('workshop', 'seminar', 'meeting', 'deadline')", name="kind"),
        CheckConstraint("date_precision IN ('minute', 'day', 'month')", name="date_precision"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="status"),
        # Lists read the few events they show, in time order, from either end, and count the
        # rest from an index alone.
        Index("ix_event_group_starts", "group_id", "starts_at"),
        Index("ix_event_group_kind_starts", "group_id", "kind", "starts_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    # The short id people type, counted per group ("W12", "D7": the letter shows the kind).
    number: Mapped[int] = mapped_column(Integer)
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
    status: Mapped[str] = mapped_column(String(16), default=SCHEDULED)
    # Bumped on every move and on cancellation (iCalendar SEQUENCE; stale reminders see it).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Where the event belongs: the platform and its conversation ({"channel": "C123", ...}).
    # Events from history have none and are never announced.
    platform: Mapped[str | None] = mapped_column(String(16))
    conversation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Reminder lead times in minutes before the start, largest first; 0 = at the time itself.
    lead_minutes: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    # Identifies rows written by the seed so that seeding stays idempotent.
    seed_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    pilot: Mapped[PilotAction | None] = relationship()
    created_by: Mapped[Member | None] = relationship()
    regions: Mapped[list[Region]] = relationship(secondary=event_region, order_by=Region.name)
    deliveries: Mapped[list[EventDelivery]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventDelivery.id"
    )

    @property
    def ref(self) -> str:
        """The short id as people see and type it: ``W12``."""
        return f"{KIND_PREFIX[self.kind]}{self.number}"


class EventDelivery(Base):
    """A region has delivered what a deadline asked for."""

    __tablename__ = "event_delivery"
    __table_args__ = (UniqueConstraint("event_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(back_populates="deliveries")
    region: Mapped[Region] = relationship()
    recorded_by: Mapped[Member | None] = relationship()
