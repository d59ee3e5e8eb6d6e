"""People in the working group: who they are on a platform, their region and role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.region import Region

PARTNER = "partner"
COORDINATOR = "coordinator"
ROLES = (PARTNER, COORDINATOR)


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("group_id", "platform", "platform_user_id"),
        CheckConstraint("role IN ('partner', 'coordinator')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16), default=PARTNER)
    # The workspace (Slack team) the person was last seen in: where direct messages to them go
    # when the bot serves several workspaces.
    workspace_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Set when the person was erased (GDPR): the row stays, pseudonymised, for what refers to it.
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    region: Mapped[Region | None] = relationship()

    @property
    def conversation(self) -> dict[str, str]:
        """A direct message to the person, as reminder rows and senders name a conversation."""
        found = {"user": self.platform_user_id}
        if self.workspace_id:
            found["workspace"] = self.workspace_id
        return found
