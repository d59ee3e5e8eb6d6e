"""Pilot updates: storing them once, editing, removing, and the reads status and digest need."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import PilotUpdate, Region
from storage.once import add_once


def _visible(group_id: int) -> Select[tuple[PilotUpdate]]:
    """Updates of the group that are not removed, with what every listing shows loaded."""
    return (
        select(PilotUpdate)
        .options(
            selectinload(PilotUpdate.pilot),
            selectinload(PilotUpdate.region),
            selectinload(PilotUpdate.milestone),
        )
        .where(PilotUpdate.group_id == group_id, PilotUpdate.removed_at.is_(None))
    )


def find_update(
    *, session: Session, group_id: int, platform: str, channel_id: str, message_id: str
) -> PilotUpdate | None:
    """The update logged from this message, removed or not."""
    return session.scalar(
        select(PilotUpdate)
        .options(selectinload(PilotUpdate.pilot), selectinload(PilotUpdate.milestone))
        .where(
            PilotUpdate.group_id == group_id,
            PilotUpdate.platform == platform,
            PilotUpdate.channel_id == channel_id,
            PilotUpdate.message_id == message_id,
        )
    )


def add_update(*, session: Session, **fields: Any) -> PilotUpdate | None:
    """Store a new update; None when its message is already stored (a redelivery).

    The unique (platform, channel, message) constraint decides between concurrent processes.
    """
    update = PilotUpdate(**fields)
    return update if add_once(session, update) else None


def recent_updates(
    *,
    session: Session,
    group_id: int,
    since: datetime | None = None,
    until: datetime | None = None,
    pilot_id: int | None = None,
    newest_first: bool = True,
    limit: int | None = None,
) -> list[PilotUpdate]:
    query = _visible(group_id)
    if since is not None:
        query = query.where(PilotUpdate.posted_at >= since)
    if until is not None:
        query = query.where(PilotUpdate.posted_at < until)
    if pilot_id is not None:
        query = query.where(PilotUpdate.pilot_id == pilot_id)
    order = (PilotUpdate.posted_at.desc(), PilotUpdate.id.desc())
    if not newest_first:
        order = (PilotUpdate.posted_at.asc(), PilotUpdate.id.asc())
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_updates(*, session: Session, group_id: int, pilot_id: int, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(PilotUpdate)
            .where(
                PilotUpdate.group_id == group_id,
                PilotUpdate.pilot_id == pilot_id,
                PilotUpdate.removed_at.is_(None),
                PilotUpdate.posted_at >= since,
            )
        )
        or 0
    )


def counts_by_pilot_and_region(
    *, session: Session, group_id: int, since: datetime
) -> dict[tuple[int, int | None], int]:
    """How many updates each (pilot, region) pair posted since ``since`` (region None:
    unassigned); pairs without an update are absent."""
    rows = session.execute(
        select(PilotUpdate.pilot_id, PilotUpdate.region_id, func.count())
        .where(
            PilotUpdate.group_id == group_id,
            PilotUpdate.removed_at.is_(None),
            PilotUpdate.posted_at >= since,
        )
        .group_by(PilotUpdate.pilot_id, PilotUpdate.region_id)
    )
    return {(pilot_id, region_id): count for pilot_id, region_id, count in rows}


def latest_by_region(
    *, session: Session, group_id: int, pilot_id: int
) -> dict[int | None, PilotUpdate]:
    """The newest update of each region (None: unassigned) for one pilot.

    One indexed look per region of the group (``ix_pilot_update_pilot_region_posted``), so
    the cost does not grow with the pilot's history.
    """

    def newest(same_region: ColumnElement[bool]) -> Select[tuple[int]]:
        return (
            select(PilotUpdate.id)
            .where(
                PilotUpdate.group_id == group_id,
                PilotUpdate.pilot_id == pilot_id,
                same_region,
                PilotUpdate.removed_at.is_(None),
            )
            .order_by(PilotUpdate.posted_at.desc(), PilotUpdate.id.desc())
            .limit(1)
        )

    per_region = select(newest(PilotUpdate.region_id == Region.id).scalar_subquery()).where(
        Region.group_id == group_id
    )
    ids = [found for found in session.scalars(per_region) if found is not None]
    unassigned = session.scalar(newest(PilotUpdate.region_id.is_(None)))
    if unassigned is not None:
        ids.append(unassigned)
    rows = session.scalars(_visible(group_id).where(PilotUpdate.id.in_(ids))) if ids else []
    return {update.region_id: update for update in rows}


def is_logged(*, session: Session, platform: str, channel_id: str, message_id: str) -> bool:
    """Whether the message is a pilot update now (logged and not removed)."""
    found = session.scalar(
        select(PilotUpdate.id).where(
            PilotUpdate.platform == platform,
            PilotUpdate.channel_id == channel_id,
            PilotUpdate.message_id == message_id,
            PilotUpdate.removed_at.is_(None),
        )
    )
    return found is not None
