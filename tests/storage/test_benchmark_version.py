"""The group's benchmark version: renewed by the database whenever a row the scores or the
region names depend on is written, whatever writes it; never brought back by a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, update

from storage.benchmark import benchmark_stamp, mark_figures_changed
from storage.groups import default_group
from storage.models import BenchmarkEdition, Indicator, Region, RegionAlias, WorkingGroup


def version(sessions, group_id: int) -> str:
    with sessions() as session:
        return benchmark_stamp(session=session, group_id=group_id)


@pytest.fixture
def group_id(sessions) -> int:
    with sessions() as session:
        return default_group(session=session).id


def test_every_write_of_a_benchmark_row_gives_a_new_version(sessions, group_id):
    seen = {version(sessions, group_id)}

    def changed(statement) -> None:
        with sessions.begin() as session:
            session.execute(statement)
        now = version(sessions, group_id)
        assert now not in seen
        seen.add(now)

    limburg = Region.name == "Limburg"
    changed(update(Region).where(limburg).values(cluster="Chemelot"))
    changed(update(Indicator).where(Indicator.group_id == group_id).values(unit="%"))
    changed(
        insert(RegionAlias).from_select(
            ["group_id", "region_id", "alias", "folded", "kind"],
            Region.__table__.select()
            .with_only_columns(
                Region.group_id, Region.id, Region.name + " x", Region.key + " x", Region.key
            )
            .where(limburg),
        )
    )
    changed(delete(RegionAlias).where(RegionAlias.folded == "limburg x"))
    with sessions.begin() as session:
        editions = session.scalars(
            BenchmarkEdition.__table__.select().with_only_columns(BenchmarkEdition.id)
        ).all()
        mark_figures_changed(session=session, edition_ids=editions)
    assert version(sessions, group_id) not in seen


def test_a_rolled_back_write_leaves_the_version_and_other_writes_do_not_change_it(
    sessions, group_id
):
    before = version(sessions, group_id)
    with sessions() as session:
        session.execute(update(Region).values(cluster="gone"))
        inside = benchmark_stamp(session=session, group_id=group_id)
        session.rollback()
    assert inside != before  # what the transaction itself reads is not the old scores' stamp
    assert version(sessions, group_id) == before
    with sessions.begin() as session:
        session.execute(
            update(WorkingGroup).where(WorkingGroup.id == group_id).values(name="Renamed")
        )
    assert version(sessions, group_id) == before
