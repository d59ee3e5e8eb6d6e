"""Milestones of the pilot actions, numbered per pilot."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import PilotMilestone
from storage.once import add_once

# Two coordinators adding a milestone to one pilot at once both pick the next number; the
# unique (pilot, number) lets one win and the other simply takes the number after.
_NUMBER_ATTEMPTS = 5


def list_milestones(
    *, session: Session, group_id: int, pilot_id: int | None = None
) -> list[PilotMilestone]:
    query = (
        select(PilotMilestone)
        .options(selectinload(PilotMilestone.pilot))
        .where(PilotMilestone.group_id == group_id)
        .order_by(PilotMilestone.pilot_id, PilotMilestone.number)
    )
    if pilot_id is not None:
        query = query.where(PilotMilestone.pilot_id == pilot_id)
    return list(session.scalars(query))


def find_milestone(*, session: Session, pilot_id: int, number: int) -> PilotMilestone | None:
    return session.scalar(
        select(PilotMilestone).where(
            PilotMilestone.pilot_id == pilot_id, PilotMilestone.number == number
        )
    )


def add_milestone(
    *,
    session: Session,
    group_id: int,
    pilot_id: int,
    title: str,
    due_on: date,
    created_by: str,
    now: datetime,
) -> PilotMilestone:
    for _ in range(_NUMBER_ATTEMPTS):
        highest = session.scalar(
            select(func.max(PilotMilestone.number)).where(PilotMilestone.pilot_id == pilot_id)
        )
        milestone = PilotMilestone(
            group_id=group_id,
            pilot_id=pilot_id,
            number=(highest or 0) + 1,
            title=title,
            due_on=due_on,
            created_by=created_by,
            created_at=now,
        )
        if add_once(session, milestone):
            return milestone
    raise RuntimeError(f"could not number a new milestone of pilot {pilot_id}")
