"""Progress on the pilot actions: updates partners write, milestones, channels linked to a pilot."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.pilot import PilotAction
from storage.models.region import Region
from storage.models.teams import CONVERSATION_ID_LENGTH

# What an update says about the pilot's course: [on track], [delayed], [done].
UPDATE_STATUSES = ("on_track", "delayed", "done")
# How the update came in: a message that starts with "update", the message shortcut, a command.
UPDATE_SOURCES = ("message", "shortcut", "command")


class PilotMilestone(Base):
    """A milestone of a pilot, numbered per pilot (M1, M2, …) so that people can refer to it."""

    __tablename__ = "pilot_milestone"
    __table_args__ = (UniqueConstraint("pilot_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilot_action.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # A calendar day in the group's zone: milestones are due on a date, not at an instant.
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(128))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pilot: Mapped[PilotAction] = relationship()

    @property
    def label(self) -> str:
        return f"M{self.number}"


class PilotUpdate(Base):
    """One progress update. Deleted messages only mark it removed: the audit trail stays.

    A message is stored once however often the platform delivers it: (platform, channel,
    message id) is unique, so a retry that lands on another process is refused by the database.
    """

    __tablename__ = "pilot_update"
    __table_args__ = (
        UniqueConstraint("platform", "channel_id", "message_id"),
        CheckConstraint("status IN ('on_track', 'delayed', 'done')", name="status"),
        CheckConstraint("source IN ('message', 'shortcut', 'command')", name="source"),
        Index("ix_pilot_update_group_posted", "group_id", "posted_at"),
        # A pilot's newest update per region, without reading the pilot's history.
        Index("ix_pilot_update_pilot_region_posted", "pilot_id", "region_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilot_action.id", ondelete="CASCADE"))
    # None: the author had not joined a region; shown as "unassigned", never dropped.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str] = mapped_column(String(128))
    author_name: Mapped[str | None] = mapped_column(String(200))
    # Who logged it, when not the author (a coordinator using the message shortcut).
    logged_by: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilot_milestone.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(16))
    # Where the message lives (Slack channel id and ts; Teams channel or chat id and activity
    # id, a personal chat's id being well over 100 characters); empty for updates by command.
    channel_id: Mapped[str | None] = mapped_column(String(CONVERSATION_ID_LENGTH))
    message_id: Mapped[str | None] = mapped_column(String(64))
    permalink: Mapped[str | None] = mapped_column(String(500))
    # When the author wrote it (the message's own time); created_at is when it was logged.
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pilot: Mapped[PilotAction] = relationship()
    region: Mapped[Region | None] = relationship()
    milestone: Mapped[PilotMilestone | None] = relationship()


class PilotChannel(Base):
    """A channel linked to a pilot: its top-level messages starting with ``update:`` are logged."""

    __tablename__ = "pilot_channel"
    __table_args__ = (UniqueConstraint("platform", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilot_action.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str] = mapped_column(String(CONVERSATION_ID_LENGTH))
    linked_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pilot: Mapped[PilotAction] = relationship()
