"""Channels linked to a pilot action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import PilotAction, PilotChannel


class LinkedElsewhere(Exception):
    """The channel is linked to a pilot of another working group."""


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
    """Link the channel to ``pilot``; returns the pilot it was linked to before, if another.

    A channel carries one link. A channel shared between workspaces (Slack Connect) may be
    in two groups' hearing; the first group's link stands: ``LinkedElsewhere`` for another
    group, which must neither take it over nor learn which pilot it serves."""
    link = _link(session, platform=platform, channel_id=channel_id)
    if link is not None and link.group_id != group_id:
        raise LinkedElsewhere(channel_id)
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
    link.pilot, link.linked_by = pilot, linked_by
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
