"""Channels linked to a pilot action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import PilotAction, PilotChannel


def _link(
    session: Session, *, platform: str, channel_id: str, group_id: int | None = None
) -> PilotChannel | None:
    query = (
        select(PilotChannel)
        .options(selectinload(PilotChannel.pilot))
        .where(PilotChannel.platform == platform, PilotChannel.channel_id == channel_id)
    )
    if group_id is not None:
        query = query.where(PilotChannel.group_id == group_id)
    return session.scalar(query)


def linked_pilot(
    *, session: Session, group_id: int, platform: str, channel_id: str
) -> PilotAction | None:
    link = _link(session, platform=platform, channel_id=channel_id, group_id=group_id)
    return link.pilot if link is not None else None


def link_channel(
    *,
    session: Session,
    group_id: int,
    platform: str,
    channel_id: str,
    pilot: PilotAction,
    linked_by: str,
) -> PilotAction | None:
    """Link the channel to ``pilot``; returns the pilot it was linked to before, if another."""
    # Any group's link: a channel belongs to one workspace, and so to one group.
    link = _link(session, platform=platform, channel_id=channel_id)
    if link is None:
        session.add(
            PilotChannel(
                group_id=group_id,
                platform=platform,
                channel_id=channel_id,
                pilot_id=pilot.id,
                linked_by=linked_by,
            )
        )
        session.flush()
        return None
    before = link.pilot if link.pilot_id != pilot.id else None
    link.group_id, link.pilot, link.linked_by = group_id, pilot, linked_by
    session.flush()
    return before


def unlink_channel(
    *, session: Session, group_id: int, platform: str, channel_id: str
) -> PilotAction | None:
    """Remove the channel's link; returns the pilot it was linked to, or None."""
    link = _link(session, platform=platform, channel_id=channel_id, group_id=group_id)
    if link is None:
        return None
    pilot = link.pilot
    session.delete(link)
    session.flush()
    return pilot
