"""A partner's benchmark file counts as their delivery for the matching data deadline.

When a partner's figures for an edition are imported, their region is recorded as delivered
for the open deadline that belongs to that edition, so reminders stop chasing the region.
The deadline that belongs to an edition is one still waiting for the region whose title names
the edition's year or label ("Benchmark data 2012"); failing that, one whose title mentions
the benchmark; of several, the one due nearest to the delivery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage import events
from storage.models import BenchmarkEdition, Event
from storage.text import fold


def matching_deadline(
    *, session: Session, group_id: int, region_id: int, edition: BenchmarkEdition, at: datetime
) -> Event | None:
    waiting = events.deadlines_awaiting(session=session, group_id=group_id, region_id=region_id)
    year, label = str(edition.year), fold(edition.label)

    def names_edition(deadline: Event) -> bool:
        title = fold(deadline.title)
        return year in title.split() or label in title

    pool = [d for d in waiting if names_edition(d)] or [
        d for d in waiting if "benchmark" in fold(d.title).split()
    ]
    if not pool:
        return None
    return min(pool, key=lambda deadline: abs(deadline.starts_at - at))


def record_delivery(
    *,
    session: Session,
    group_id: int,
    region_id: int,
    edition: BenchmarkEdition,
    at: datetime,
    recorded_by_id: int | None = None,
) -> Event | None:
    """Mark ``region_id`` delivered for the edition's deadline; the deadline, or None if none."""
    deadline = matching_deadline(
        session=session, group_id=group_id, region_id=region_id, edition=edition, at=at
    )
    if deadline is None:
        return None
    events.record_delivery(
        session=session,
        event_id=deadline.id,
        region_id=region_id,
        recorded_by_id=recorded_by_id,
        delivered_at=at,
    )
    return deadline
