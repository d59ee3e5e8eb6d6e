"""The reads the personal dashboard (the Home) needs, each bounded by what it shows.

Every query here asks for a window of time or a handful of rows, never a history whole:
open deadlines from the chase window on, failed reminders of the last days, the pilots and
regions heard from lately, milestones up to a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    CANCELLED,
    FAILED,
    Event,
    EventDelivery,
    PilotMilestone,
    PilotUpdate,
    Reminder,
    event_region,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """The first rows of a longer list, and how many there are in all."""

    rows: list[T]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def open_deadlines(
    *,
    session: Session,
    group_id: int,
    since: datetime,
    limit: int,
    region_id: int | None = None,
) -> Page[Event]:
    """Deadlines due from ``since`` on that a region still has to deliver for, soonest first.

    With ``region_id``: only those that this region still has to deliver for.
    """
    delivered = exists().where(
        EventDelivery.event_id == event_region.c.event_id,
        EventDelivery.region_id == event_region.c.region_id,
    )
    missing = select(event_region.c.event_id).where(event_region.c.event_id == Event.id, ~delivered)
    if region_id is not None:
        missing = missing.where(event_region.c.region_id == region_id)
    where = (
        Event.group_id == group_id,
        Event.kind == "deadline",
        Event.status != CANCELLED,
        Event.starts_at >= since,
        missing.exists(),
    )
    rows = session.scalars(
        select(Event)
        .options(
            selectinload(Event.regions),
            selectinload(Event.deliveries).selectinload(EventDelivery.region),
        )
        .where(*where)
        .order_by(Event.starts_at, Event.number)
        .limit(limit)
    )
    shown = list(rows)
    total = len(shown)
    if total == limit:
        total = session.scalar(select(func.count()).select_from(Event).where(*where)) or 0
    return Page(shown, total)


@dataclass(frozen=True)
class FailedReminder:
    reminder: Reminder
    event: Event | None


def failed_reminders(
    *, session: Session, group_id: int, since: datetime, limit: int
) -> Page[FailedReminder]:
    """Reminders that failed after their last attempt began at or after ``since``, newest
    first, with their events."""
    where = (
        Reminder.group_id == group_id,
        Reminder.status == FAILED,
        Reminder.claimed_at >= since,
    )
    rows = session.execute(
        select(Reminder, Event)
        .outerjoin(Event, Event.id == Reminder.event_id)
        .where(*where)
        .order_by(Reminder.claimed_at.desc(), Reminder.id.desc())
        .limit(limit)
    )
    shown = [FailedReminder(reminder, event) for reminder, event in rows]
    total = len(shown)
    if total == limit:
        total = session.scalar(select(func.count()).select_from(Reminder).where(*where)) or 0
    return Page(shown, total)


def heard_from(*, session: Session, group_id: int, since: datetime) -> set[tuple[int, int]]:
    """(pilot id, region id) of every region that posted an update on a pilot since then."""
    rows = session.execute(
        select(PilotUpdate.pilot_id, PilotUpdate.region_id)
        .where(
            PilotUpdate.group_id == group_id,
            PilotUpdate.posted_at >= since,
            PilotUpdate.removed_at.is_(None),
            PilotUpdate.region_id.is_not(None),
        )
        .distinct()
    )
    return {(pilot_id, region_id) for pilot_id, region_id in rows}


def open_milestones(
    *, session: Session, group_id: int, pilot_ids: list[int], due_by: date, limit: int
) -> list[PilotMilestone]:
    """Milestones of these pilots not done yet and due on or before ``due_by``, soonest first."""
    if not pilot_ids:
        return []
    return list(
        session.scalars(
            select(PilotMilestone)
            .options(selectinload(PilotMilestone.pilot))
            .where(
                PilotMilestone.group_id == group_id,
                PilotMilestone.pilot_id.in_(pilot_ids),
                PilotMilestone.done_at.is_(None),
                PilotMilestone.due_on <= due_by,
            )
            .order_by(PilotMilestone.due_on, PilotMilestone.pilot_id, PilotMilestone.number)
            .limit(limit)
        )
    )
