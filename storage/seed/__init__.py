"""Idempotent seed: the ChemClust working group as it really was, plus labelled sample figures.

Seeding only adds what is missing (matched by natural keys); it never changes or deletes rows,
so whatever coordinators edited survives a restart.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from storage.audit import NOT_AUDITED
from storage.events import next_event_number
from storage.models import (
    DEFAULT_GROUP_SLUG,
    BenchmarkEdition,
    BenchmarkValue,
    Event,
    Indicator,
    PilotAction,
    Region,
    RegionAlias,
    WorkingGroup,
)
from storage.regions import add_region_aliases
from storage.seed.practices import seed_practices

DEFAULT_GROUP_NAME = "ChemClust Interregional Working Group"


@cache
def _load_json(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def _sample_values() -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("benchmark_sample_values.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def seed_database(connection: Connection) -> None:
    with Session(bind=connection, info=dict(NOT_AUDITED)) as session:
        group = ensure_default_group(session=session)
        regions = _seed_regions(session=session, group=group)
        pilots = _seed_pilots(session=session, group=group, regions=regions)
        _seed_events(session=session, group=group, pilots=pilots)
        _seed_benchmark(session=session, group=group, regions=regions)
        seed_practices(session=session, group=group, records=_load_json("practices.json"))
        session.commit()


def ensure_default_group(*, session: Session) -> WorkingGroup:
    group = session.scalar(select(WorkingGroup).where(WorkingGroup.slug == DEFAULT_GROUP_SLUG))
    if group is None:
        group = WorkingGroup(slug=DEFAULT_GROUP_SLUG, name=DEFAULT_GROUP_NAME, is_default=True)
        session.add(group)
        session.flush()
    return group


def _seed_regions(*, session: Session, group: WorkingGroup) -> dict[str, Region]:
    existing = {
        r.key: r for r in session.scalars(select(Region).where(Region.group_id == group.id))
    }
    taken = set(session.scalars(select(RegionAlias.folded).where(RegionAlias.group_id == group.id)))
    for spec in _load_json("regions.json"):
        region = existing.get(spec["key"])
        if region is None:
            region = Region(
                group_id=group.id,
                key=spec["key"],
                name=spec["name"],
                country=spec["country"],
                nuts_code=spec["nuts_code"],
                cluster=spec["cluster"],
            )
            session.add(region)
            session.flush()
            existing[region.key] = region
        names = [(spec["name"], "name"), (spec["key"], "name")]
        names += [(alias, "name") for alias in spec["aliases"]]
        names += [(code, "nuts") for code in spec["nuts"]]
        add_region_aliases(session=session, region=region, names=names, taken=taken)
    session.flush()
    return existing


def _seed_pilots(
    *, session: Session, group: WorkingGroup, regions: dict[str, Region]
) -> dict[str, PilotAction]:
    existing = {
        p.key: p
        for p in session.scalars(select(PilotAction).where(PilotAction.group_id == group.id))
    }
    for spec in _load_json("pilots.json"):
        if spec["key"] in existing:
            continue
        pilot = PilotAction(
            group_id=group.id,
            key=spec["key"],
            name=spec["name"],
            keywords=spec["keywords"],
            description=spec["description"],
            regions=[regions[key] for key in spec["regions"]],
        )
        session.add(pilot)
        existing[pilot.key] = pilot
    session.flush()
    return existing


def _seed_events(*, session: Session, group: WorkingGroup, pilots: dict[str, PilotAction]) -> None:
    seeded = set(
        session.scalars(
            select(Event.seed_key).where(Event.group_id == group.id, Event.seed_key.is_not(None))
        )
    )
    number = next_event_number(session=session, group_id=group.id)
    for spec in _load_json("events.json"):
        if spec["seed_key"] in seeded:
            continue
        zone = ZoneInfo(spec["timezone"])
        session.add(
            Event(
                group_id=group.id,
                number=number,
                kind=spec["kind"],
                title=spec["title"],
                # History records only the month; the precision says so wherever it is shown.
                starts_at=datetime(spec["year"], spec["month"], 1, tzinfo=zone),
                timezone=spec["timezone"],
                date_precision="month",
                place=spec["place"],
                pilot_id=pilots[spec["pilot"]].id if spec.get("pilot") else None,
                seed_key=spec["seed_key"],
            )
        )
        number += 1
    session.flush()


def _seed_benchmark(*, session: Session, group: WorkingGroup, regions: dict[str, Region]) -> None:
    indicators = {
        i.code: i for i in session.scalars(select(Indicator).where(Indicator.group_id == group.id))
    }
    for position, spec in enumerate(_load_json("indicators.json")):
        if spec["code"] not in indicators:
            indicator = Indicator(group_id=group.id, position=position, **spec)
            session.add(indicator)
            indicators[indicator.code] = indicator
    session.flush()

    editions = {
        e.label: e
        for e in session.scalars(
            select(BenchmarkEdition).where(BenchmarkEdition.group_id == group.id)
        )
    }
    new_editions: dict[str, BenchmarkEdition] = {}
    for spec in _load_json("editions.json"):
        if spec["label"] not in editions:
            edition = BenchmarkEdition(group_id=group.id, **spec)
            session.add(edition)
            new_editions[edition.label] = edition
    session.flush()
    # Values are only added together with their edition, so a coordinator's cleanup of a
    # sample edition is never undone by the next start.
    for row in _sample_values():
        edition = new_editions.get(row["edition"])
        if edition is None:
            continue
        session.add(
            BenchmarkValue(
                edition_id=edition.id,
                region_id=regions[row["region"]].id,
                indicator_id=indicators[row["indicator"]].id,
                value=float(row["value"]),
            )
        )
    session.flush()
