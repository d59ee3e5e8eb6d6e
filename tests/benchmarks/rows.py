"""Generated rows for one table, and what the generators need to know of the seeded database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from storage.models import (
    Base,
    BenchmarkEdition,
    BenchmarkValue,
    Event,
    PilotAction,
    Practice,
    Region,
    WorkingGroup,
)
from storage.models.pilot import pilot_region


@dataclass
class Rows:
    """Rows for ``table`` as tuples in the order of ``columns`` (bulk writers want tuples)."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Catalogue:
    """The seeded group as the generators see it: its ids, where new ids start, and "now"."""

    anchor: datetime
    group_id: int
    region_ids: list[int]
    pilot_ids: list[int]
    pilot_regions: dict[int, list[int]]
    next_event_number: int
    next_ids: dict[str, int]
    # The seed's newest figure per (region id, indicator id): where generated editions start.
    latest_values: dict[tuple[int, int], float]
    seed_practices: list[dict[str, Any]]
    # Filled in when members are generated; deadline reminders message them.
    members_by_region: dict[int, list[str]] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        return self.next_ids[table]


TABLES_WITH_IDS = (
    "member",
    "event",
    "event_delivery",
    "reminder",
    "pilot_update",
    "benchmark_edition",
    "benchmark_value",
    "practice",
)


def load_catalogue(connection: Connection, *, anchor: datetime) -> Catalogue:
    group_id = connection.scalar(select(WorkingGroup.id).where(WorkingGroup.is_default))
    region_ids = list(
        connection.scalars(select(Region.id).where(Region.group_id == group_id).order_by(Region.id))
    )
    pilot_ids = list(
        connection.scalars(
            select(PilotAction.id).where(PilotAction.group_id == group_id).order_by(PilotAction.id)
        )
    )
    pilot_regions: dict[int, list[int]] = defaultdict(list)
    for pilot_id, region_id in connection.execute(
        select(pilot_region.c.pilot_id, pilot_region.c.region_id).order_by(
            pilot_region.c.pilot_id, pilot_region.c.region_id
        )
    ):
        pilot_regions[pilot_id].append(region_id)
    next_number = connection.scalar(
        select(func.coalesce(func.max(Event.number), 0) + 1).where(Event.group_id == group_id)
    )
    next_ids = {
        name: connection.scalar(select(func.coalesce(func.max(table.c.id), 0) + 1))
        for name in TABLES_WITH_IDS
        if (table := Base.metadata.tables[name]) is not None
    }
    newest = connection.scalar(
        select(BenchmarkEdition.id)
        .where(BenchmarkEdition.group_id == group_id)
        .order_by(BenchmarkEdition.year.desc(), BenchmarkEdition.id.desc())
        .limit(1)
    )
    latest_values = {
        (region_id, indicator_id): value
        for region_id, indicator_id, value in connection.execute(
            select(BenchmarkValue.region_id, BenchmarkValue.indicator_id, BenchmarkValue.value)
            .where(BenchmarkValue.edition_id == newest)
            .order_by(BenchmarkValue.id)
        )
    }
    practices = [
        dict(row._mapping)
        for row in connection.execute(
            select(Practice.__table__).where(Practice.group_id == group_id).order_by(Practice.id)
        )
    ]
    return Catalogue(
        anchor=anchor,
        group_id=group_id,
        region_ids=region_ids,
        pilot_ids=pilot_ids,
        pilot_regions=dict(pilot_regions),
        next_event_number=next_number,
        next_ids=next_ids,
        latest_values=latest_values,
        seed_practices=practices,
    )
