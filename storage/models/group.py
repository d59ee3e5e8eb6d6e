"""Working groups (tenants) and the chat workspaces that belong to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import FetchedValue, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow

DEFAULT_GROUP_SLUG = "chemclust"


class WorkingGroup(Base):
    __tablename__ = "working_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A random mark the database renews whenever a row of the group's benchmark (an edition,
    # an indicator, a region or a region's alias) is written: migration 0018's triggers.
    # Equal marks, equal benchmark rows, so a scored benchmark kept in memory is known to be
    # current from this one column.
    benchmark_version: Mapped[str] = mapped_column(String(32), server_default=FetchedValue())


class Workspace(Base):
    """A Slack team or a Teams tenant, mapped to the working group it serves."""

    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The Slack Enterprise Grid org it is part of, as its requests said: an org-wide install
    # has no row for the workspace itself, so its token is found through this.
    organisation_id: Mapped[str | None] = mapped_column(String(128))


class WorkspaceInvitation(Base):
    """A one-time code a coordinator hands out: typed in another workspace, it links that
    workspace to the group. Only a hash of the code is kept, so the table gives none away."""

    __tablename__ = "workspace_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_workspace: Mapped[str | None] = mapped_column(String(128))
