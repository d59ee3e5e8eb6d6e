"""Channels linked to a pilot action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import PilotAction, PilotChannel


def linked_pilot(
    *, session: Session, group_id: int, platform: str, channel_id: str
) -> PilotAction | None:
    link = session.scalar(
        select(PilotChannel)
        .options(selectinload(PilotChannel.pilot))
        .where(
            PilotChannel.group_id == group_id,
            PilotChannel.platform == platform,
            PilotChannel.channel_id == channel_id,
        )
    )
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
    link = session.scalar(
        select(PilotChannel)
        .options(selectinload(PilotChannel.pilot))
        .where(PilotChannel.platform == platform, PilotChannel.channel_id == channel_id)
    )
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
    link = session.scalar(
        select(PilotChannel)
        .options(selectinload(PilotChannel.pilot))
        .where(
            PilotChannel.group_id == group_id,
            PilotChannel.platform == platform,
            PilotChannel.channel_id == channel_id,
        )
    )
    if link is None:
        return None
    pilot = link.pilot
    session.delete(link)
    session.flush()
    return pilot


def channels_of(*, session: Session, group_id: int, pilot_id: int) -> list[PilotChannel]:
    return list(
        session.scalars(
            select(PilotChannel)
            .where(PilotChannel.group_id == group_id, PilotChannel.pilot_id == pilot_id)
            .order_by(PilotChannel.id)
        )
    )
