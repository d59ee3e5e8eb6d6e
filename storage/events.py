"""Events of a working group: creating, finding, listing, moving, cancelling; deliveries.

``record_delivery`` is the one way to say "region R has delivered for deadline D": the
commands here and the importers of other features call it alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    CANCELLED,
    COORDINATOR,
    Event,
    EventDelivery,
    Member,
    Region,
    utcnow,
)
from storage.once import add_once, get_or_add

# Two coordinators adding events at the same moment may pick the same number; retry a few times.
_NUMBER_ATTEMPTS = 5


def _loaded(*, deliveries: bool = True) -> tuple:
    options = [selectinload(Event.regions), selectinload(Event.pilot)]
    if deliveries:
        options.append(selectinload(Event.deliveries).selectinload(EventDelivery.region))
    return tuple(options)


def next_event_number(*, session: Session, group_id: int) -> int:
    highest = session.scalar(select(func.max(Event.number)).where(Event.group_id == group_id))
    return (highest or 0) + 1


@dataclass(frozen=True)
class NewEvent:
    kind: str
    title: str
    starts_at: datetime
    timezone: str
    lead_minutes: Sequence[int]
    place: str = ""
    pilot_id: int | None = None
    regions: Sequence[Region] = ()
    platform: str | None = None
    conversation: dict[str, Any] | None = None
    created_by_id: int | None = None


def create_event(*, session: Session, group_id: int, new: NewEvent) -> Event:
    """Add an event with the next free short number of its group."""
    for _ in range(_NUMBER_ATTEMPTS):
        event = Event(
            group_id=group_id,
            number=next_event_number(session=session, group_id=group_id),
            kind=new.kind,
            title=new.title,
            starts_at=new.starts_at,
            timezone=new.timezone,
            date_precision="minute",
            place=new.place,
            pilot_id=new.pilot_id,
            regions=list(new.regions),
            platform=new.platform,
            conversation=new.conversation,
            lead_minutes=list(new.lead_minutes),
            created_by_id=new.created_by_id,
        )
        if add_once(session, event):
            return event
    raise RuntimeError("could not find a free event number; try again")


def find_event(*, session: Session, group_id: int, number: int) -> Event | None:
    return session.scalar(
        select(Event).options(*_loaded()).where(Event.group_id == group_id, Event.number == number)
    )


def get_event(*, session: Session, event_id: int) -> Event | None:
    return session.scalar(select(Event).options(*_loaded()).where(Event.id == event_id))


def get_events(*, session: Session, event_ids: Iterable[int]) -> dict[int, Event]:
    """Events by id, loaded as ``get_event`` loads one, in one round of queries."""
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    found = session.scalars(select(Event).options(*_loaded()).where(Event.id.in_(ids)))
    return {event.id: event for event in found}


def _matching(
    query: Select,
    *,
    group_id: int,
    kinds: Iterable[str] | None,
    since: datetime | None,
    until: datetime | None,
    include_cancelled: bool,
) -> Select:
    query = query.where(Event.group_id == group_id)
    if kinds is not None:
        query = query.where(Event.kind.in_(list(kinds)))
    if since is not None:
        query = query.where(Event.starts_at >= since)
    if until is not None:
        query = query.where(Event.starts_at < until)
    if not include_cancelled:
        query = query.where(Event.status != CANCELLED)
    return query


def list_events(
    *,
    session: Session,
    group_id: int,
    kinds: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_cancelled: bool = False,
    latest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
    with_deliveries: bool = True,
) -> list[Event]:
    """Events soonest first (``latest_first``: the latest first), optionally of some kinds and
    starting in ``[since, until)``; ``limit`` and ``offset`` choose a page of them. Without
    ``with_deliveries`` the deliveries are not loaded (for readers that do not show them)."""
    query = _matching(
        select(Event).options(*_loaded(deliveries=with_deliveries)),
        group_id=group_id,
        kinds=kinds,
        since=since,
        until=until,
        include_cancelled=include_cancelled,
    )
    order = (Event.starts_at, Event.number)
    if latest_first:
        order = (Event.starts_at.desc(), Event.number.desc())
    query = query.order_by(*order).offset(offset or None).limit(limit)
    return list(session.scalars(query))


def count_events(
    *,
    session: Session,
    group_id: int,
    kinds: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_cancelled: bool = False,
) -> int:
    """How many events ``list_events`` would return without a limit."""
    query = _matching(
        select(func.count()).select_from(Event),
        group_id=group_id,
        kinds=kinds,
        since=since,
        until=until,
        include_cancelled=include_cancelled,
    )
    return session.scalar(query) or 0


def deadlines_awaiting(*, session: Session, group_id: int, region_id: int) -> list[Event]:
    """Deadlines (not cancelled) that ``region_id`` must deliver for and has not delivered,
    soonest first; their regions and deliveries are not loaded."""
    delivered = (
        select(EventDelivery.id)
        .where(EventDelivery.event_id == Event.id, EventDelivery.region_id == region_id)
        .exists()
    )
    query = select(Event).where(
        Event.group_id == group_id,
        Event.kind == "deadline",
        Event.status != CANCELLED,
        Event.regions.any(Region.id == region_id),
        ~delivered,
    )
    return list(session.scalars(query.order_by(Event.starts_at, Event.number)))


def move_event(*, session: Session, event: Event, starts_at: datetime, timezone: str) -> Event:
    event.starts_at = starts_at
    event.timezone = timezone
    event.date_precision = "minute"
    event.sequence += 1
    session.flush()
    return event


def cancel_event(*, session: Session, event: Event) -> Event:
    event.status = CANCELLED
    event.sequence += 1
    session.flush()
    return event


def record_delivery(
    *,
    session: Session,
    event_id: int,
    region_id: int,
    recorded_by_id: int | None = None,
    delivered_at: datetime | None = None,
) -> tuple[EventDelivery, bool]:
    """Record that ``region_id`` delivered for the deadline ``event_id``.

    Returns the delivery and whether it is new; recording twice keeps the first record.
    Reminders for that region stop by themselves: direct messages are addressed to the
    regions still missing when they fall due.
    """
    return get_or_add(
        session,
        lambda: session.scalar(
            select(EventDelivery).where(
                EventDelivery.event_id == event_id, EventDelivery.region_id == region_id
            )
        ),
        lambda: EventDelivery(
            event_id=event_id,
            region_id=region_id,
            recorded_by_id=recorded_by_id,
            delivered_at=delivered_at or utcnow(),
        ),
    )


def missing_regions(event: Event) -> list[Region]:
    """The deadline's regions that have not delivered yet, by name."""
    delivered = {d.region_id for d in event.deliveries}
    return [r for r in event.regions if r.id not in delivered]


def members_of_regions(
    *, session: Session, group_id: int, region_ids: Iterable[int]
) -> list[Member]:
    ids = list(region_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(Member)
            .where(Member.group_id == group_id, Member.region_id.in_(ids))
            .order_by(Member.id)
        )
    )


def coordinators(*, session: Session, group_id: int, platform: str | None = None) -> list[Member]:
    query = select(Member).where(Member.group_id == group_id, Member.role == COORDINATOR)
    if platform is not None:
        query = query.where(Member.platform == platform)
    return list(session.scalars(query.order_by(Member.id)))
