"""Migrations alone shape the schema: they build it, repeat safely, and match the models."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from storage.db import make_engine, make_session_factory
from storage.migrate import (
    current_revisions,
    head_revisions,
    include_name,
    is_current,
    upgrade,
)
from storage.models import Base, BenchmarkEdition, BenchmarkValue, Region, RegionAlias


def test_migrated_schema_matches_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_database_is_at_the_newest_revision(database_url):
    engine = make_engine(database_url)
    assert current_revisions(engine) == head_revisions()
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    engine.dispose()


def test_upgrade_and_seed_twice_changes_nothing(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)

    def counts() -> tuple[int, ...]:
        with sessions() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(model))
                for model in (Region, RegionAlias, BenchmarkEdition, BenchmarkValue)
            )

    before = counts()
    upgrade(engine)
    upgrade(engine)
    assert counts() == before
    assert before[0] == 10
    engine.dispose()


def test_seed_does_not_restore_what_a_coordinator_removed(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        edition = session.scalar(
            select(BenchmarkEdition).where(BenchmarkEdition.label == "2010 report")
        )
        session.execute(
            BenchmarkValue.__table__.delete().where(BenchmarkValue.edition_id == edition.id)
        )
    upgrade(engine)
    with sessions() as session:
        left = session.scalar(
            select(func.count())
            .select_from(BenchmarkValue)
            .where(BenchmarkValue.edition_id == edition.id)
        )
    assert left == 0
    engine.dispose()


def test_a_start_on_a_current_schema_does_not_import_alembic(database_url):
    check = (
        "import sys; from storage.db import make_engine; from storage.migrate import upgrade; "
        f"upgrade(make_engine({database_url!r})); print('alembic' in sys.modules)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=True
    )
    assert ran.stdout.strip() == "False"


def test_an_older_schema_is_not_taken_for_current(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert is_current(connection)
        connection.execute(text("UPDATE alembic_version SET version_num = '0009_digest_lease'"))
        connection.commit()
        assert not is_current(connection)
    engine.dispose()
