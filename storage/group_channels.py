"""The working group's own channel per platform, where group-wide posts (the digest) go."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import GroupChannel


def group_channel(*, session: Session, group_id: int, platform: str) -> GroupChannel | None:
    return session.scalar(
        select(GroupChannel).where(
            GroupChannel.group_id == group_id, GroupChannel.platform == platform
        )
    )


def group_channels(*, session: Session, group_id: int) -> list[GroupChannel]:
    """The group's channels on every platform."""
    return list(
        session.scalars(
            select(GroupChannel)
            .where(GroupChannel.group_id == group_id)
            .order_by(GroupChannel.platform)
        )
    )


def set_group_channel(
    *,
    session: Session,
    group_id: int,
    platform: str,
    channel_id: str,
    channel_name: str | None,
    set_by: str,
    now: datetime,
    workspace_id: str | None = None,
) -> GroupChannel:
    channel = group_channel(session=session, group_id=group_id, platform=platform)
    if channel is None:
        channel = GroupChannel(group_id=group_id, platform=platform)
        session.add(channel)
    channel.channel_id, channel.channel_name = channel_id, channel_name
    channel.set_by, channel.set_at = set_by, now
    channel.workspace_id = workspace_id
    session.flush()
    return channel


def clear_group_channel(*, session: Session, group_id: int, platform: str) -> bool:
    channel = group_channel(session=session, group_id=group_id, platform=platform)
    if channel is None:
        return False
    session.delete(channel)
    session.flush()
    return True


def all_group_channels(*, session: Session) -> list[GroupChannel]:
    """Every group's channels, with their group loaded (for jobs that serve all groups)."""
    return list(
        session.scalars(
            select(GroupChannel)
            .options(selectinload(GroupChannel.group))
            .order_by(GroupChannel.group_id, GroupChannel.platform)
        )
    )
