"""A second working group beside ChemClust, created from its file (tests/support/fixtures),
with its own sample figures and good practices, for the tests that keep groups apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from storage.db import SessionFactory
from storage.group_creation import create_group
from storage.group_file import read_group_file
from storage.groups import group_by_slug
from storage.models import BenchmarkEdition, BenchmarkValue, Indicator, Region, utcnow
from storage.practice_fields import clean_practice
from storage.practices import create_practice
from storage.workspaces import link_workspace
from tests.conftest import FIXED_NOW

BATTERIES_FILE = Path(__file__).parent / "fixtures" / "group_batteries.yml"
BATTERIES = "batteries"


def create_batteries(sessions: SessionFactory, *, workspace: str | None = None) -> int:
    """The Batteries Valley group from its file (its workspace linked when given); its id."""
    spec, problems, _ = read_group_file(BATTERIES_FILE.read_text(encoding="utf-8"))
    assert spec is not None, problems
    with sessions.begin() as session:
        group = create_group(session=session, spec=spec)
        if workspace:
            link_workspace(
                session=session, group_id=group.id, platform="slack", external_id=workspace
            )
        return group.id


def add_sample_figures(sessions: SessionFactory, slug: str = BATTERIES) -> None:
    """The group's own (sample) benchmark: each of its regions has one figure."""
    with sessions.begin() as session:
        group = group_by_slug(session=session, slug=slug)
        edition = BenchmarkEdition(
            group_id=group.id, label="2024 pilot", year=2024, is_sample=True, source="Sample."
        )
        indicator = session.scalar(select(Indicator).where(Indicator.group_id == group.id))
        for value, region in enumerate(
            session.scalars(select(Region).where(Region.group_id == group.id)), start=1
        ):
            edition.values.append(
                BenchmarkValue(region_id=region.id, indicator_id=indicator.id, value=10.0 * value)
            )
        session.add(edition)


def add_group_practice(sessions: SessionFactory, slug: str, **fields: Any) -> int:
    """A practice of the group ``slug``, written through the real validation."""
    with sessions.begin() as session:
        group_id = group_by_slug(session=session, slug=slug).id
        values = clean_practice(
            {name: str(value) for name, value in fields.items()},
            session=session,
            group_id=group_id,
            this_year=FIXED_NOW.year,
        )
        return create_practice(session=session, group_id=group_id, values=values, now=utcnow()).id
