"""The reads an implementation report needs beyond updates and milestones: its events and
the practices linked to the pilot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.models import CANCELLED, Event, PilotAction, Practice, Region

# Dated gatherings a report lists; deadlines are chased, not "held".
GATHERINGS = ("workshop", "seminar", "meeting")


def pilot_events(
    *,
    session: Session,
    group_id: int,
    pilot_id: int,
    since: datetime | None,
    until: datetime | None,
) -> list[Event]:
    """The pilot's workshops, seminars and meetings, and the group's seminars that belong to
    no pilot (the project's own), starting in ``[since, until)``, soonest first; a bound that
    is None leaves that end open."""
    query = select(Event).where(
        Event.group_id == group_id,
        Event.kind.in_(GATHERINGS),
        Event.status != CANCELLED,
        or_(Event.pilot_id == pilot_id, and_(Event.pilot_id.is_(None), Event.kind == "seminar")),
    )
    if since is not None:
        query = query.where(Event.starts_at >= since)
    if until is not None:
        query = query.where(Event.starts_at < until)
    return list(session.scalars(query.order_by(Event.starts_at, Event.number)))


def pilot_practices(*, session: Session, group_id: int, pilot_id: int) -> list[Practice]:
    """The practices linked to the pilot, by region and title."""
    return list(
        session.scalars(
            select(Practice)
            .options(selectinload(Practice.region))
            .join(Practice.region)
            .where(Practice.group_id == group_id, Practice.pilots.any(PilotAction.id == pilot_id))
            .order_by(Region.name, Practice.title)
        )
    )
