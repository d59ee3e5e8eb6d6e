"""The working group's channel and the weekly digests posted there."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.claim import SENDING, ClaimColumns
from storage.models.group import WorkingGroup
from storage.models.teams import CONVERSATION_ID_LENGTH

DIGEST_STATUSES = (SENDING, "sent", "failed")


class GroupChannel(Base):
    """Where the bot posts for the whole group on one platform (the weekly digest)."""

    __tablename__ = "group_channel"
    __table_args__ = (UniqueConstraint("group_id", "platform"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    # A Teams conversation id can be far longer than a Slack channel id.
    channel_id: Mapped[str] = mapped_column(String(CONVERSATION_ID_LENGTH))
    channel_name: Mapped[str | None] = mapped_column(String(200))
    # The workspace the channel is in, whose token reaches it when the bot serves several.
    workspace_id: Mapped[str | None] = mapped_column(String(128))
    set_by: Mapped[str] = mapped_column(String(128))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[WorkingGroup] = relationship()

    @property
    def conversation(self) -> dict[str, str]:
        """Where posts for the group go, as reminder rows and senders name a conversation."""
        found = {"channel": self.channel_id}
        if self.workspace_id:
            found["workspace"] = self.workspace_id
        return found


class DigestRun(ClaimColumns, Base):
    """One week's digest for one group and platform: claimed once, by one process.

    The unique week makes the first claim: a second process (or a second tick) cannot insert
    it. A failed send is retried on later ticks up to a limit; a claim that never finished
    (the process died mid-send) lapses after its lease and is taken over like a reminder's,
    looking for the digest in the channel before posting it again.
    """

    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("group_id", "platform", "week_of"),
        CheckConstraint("status IN ('sending', 'sent', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    # The Monday (in the group's zone) the digest is for.
    week_of: Mapped[date] = mapped_column(Date)
    channel_id: Mapped[str] = mapped_column(String(CONVERSATION_ID_LENGTH))
    status: Mapped[str] = mapped_column(String(16), default=SENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
