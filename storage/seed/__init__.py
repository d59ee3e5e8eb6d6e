"""Idempotent seed: the ChemClust working group as it really was, plus labelled sample figures.

The group itself (regions, pilot actions, indicators) is ``chemclust.yml``, a group file like
any other, read by the same checker as ``chemclust-bot group create --config``; its sample
figures, events and good practices stay in this folder's data files.

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
from storage.group_creation import GroupContents, GroupSpec, add_missing_contents
from storage.group_file import read_group_file
from storage.models import (
    DEFAULT_GROUP_SLUG,
    BenchmarkEdition,
    BenchmarkValue,
    Event,
    PilotAction,
    WorkingGroup,
)
from storage.seed.practices import seed_practices

CHEMCLUST_FILE = "chemclust.yml"


@cache
def _load_json(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def chemclust_group() -> GroupSpec:
    """ChemClust as its shipped group file describes it; a wrong file stops the start."""
    text = resources.files(__package__).joinpath(CHEMCLUST_FILE).read_text(encoding="utf-8")
    spec, problems, _ = read_group_file(text)
    if spec is None or spec.slug != DEFAULT_GROUP_SLUG:
        problems = problems or [f"the slug must be {DEFAULT_GROUP_SLUG!r}"]
        raise ValueError(f"storage/seed/{CHEMCLUST_FILE}: " + "; ".join(problems))
    return spec


def _sample_values() -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("benchmark_sample_values.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def seed_database(connection: Connection) -> None:
    spec = chemclust_group()
    with Session(bind=connection, info=dict(NOT_AUDITED)) as session:
        group = ensure_default_group(session=session, spec=spec)
        contents = add_missing_contents(session=session, group=group, spec=spec)
        _seed_events(session=session, group=group, pilots=contents.pilots)
        _seed_benchmark(session=session, group=group, contents=contents)
        seed_practices(session=session, group=group, records=_load_json("practices.json"))
        session.commit()


def ensure_default_group(*, session: Session, spec: GroupSpec) -> WorkingGroup:
    group = session.scalar(select(WorkingGroup).where(WorkingGroup.slug == DEFAULT_GROUP_SLUG))
    if group is None:
        group = WorkingGroup(
            slug=DEFAULT_GROUP_SLUG, name=spec.name, timezone=spec.timezone, is_default=True
        )
        session.add(group)
        session.flush()
    return group


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


def _seed_benchmark(*, session: Session, group: WorkingGroup, contents: GroupContents) -> None:
    regions, indicators = contents.regions, contents.indicators
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
