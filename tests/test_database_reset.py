"""A used PostgreSQL test database comes back with exactly the template's rows and sequences,
and one whose schema a test changed is never handed out again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import make_url

from tests.support.database_reset import conninfo
from tests.support.databases import PostgresDatabases


def contents(url: str) -> dict[str, object]:
    """Every table's rows and every sequence's position, as text."""
    found: dict[str, object] = {}
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        tables = connection.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relkind = 'r' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL("SELECT t::text FROM {} AS t ORDER BY 1").format(sql.Identifier(table))
            found[table] = connection.execute(query).fetchall()
        sequences = connection.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        for (sequence,) in sequences:
            query = sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(sequence))
            found[sequence] = connection.execute(query).fetchone()
    return found


def run(url: str, *statements: str) -> None:
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.fixture
def databases(postgresql_databases: PostgresDatabases) -> PostgresDatabases:
    return postgresql_databases


@pytest.fixture
def fresh_copy(databases: PostgresDatabases) -> Iterator[str]:
    """A copy made from the template just now, not one put back."""
    name = f"{databases.prefix}_reset_{uuid.uuid4().hex[:8]}"
    admin = databases.admin_url.render_as_string(hide_password=False)
    run(admin, f'CREATE DATABASE "{name}" TEMPLATE "{databases.template}"')
    url = databases.url_for(name)
    yield url
    databases.drop(url)  # not one of its copies: dropped, by its thread


def test_rows_and_sequences_come_back_after_a_test_changed_them(databases, fresh_copy):
    template = contents(fresh_copy)
    url = databases.create()
    run(
        url,
        "UPDATE region SET name = name || ' (moved)'",
        "DELETE FROM region_alias WHERE id IN (SELECT min(id) FROM region_alias)",
        "INSERT INTO working_group (slug, name, timezone, is_default, created_at) "
        "SELECT slug || '-too', name, timezone, false, created_at FROM working_group",
        "INSERT INTO seen_event (platform, event_id, created_at) VALUES ('slack', 'E1', now())",
        "SELECT setval('reminder_id_seq', 41, false)",
    )
    assert contents(url) != template
    databases.drop(url)

    again = databases.create()
    try:
        assert make_url(again).database != make_url(url).database
        assert contents(again) == template
        # and once more, from a copy whose rows the last reset wrote
        run(again, "DELETE FROM practice_pilot", "SELECT nextval('audit_entry_id_seq')")
    finally:
        databases.drop(again)
    third = databases.create()
    try:
        assert contents(third) == template
    finally:
        databases.drop(third)


def test_a_copy_nobody_changed_needs_nothing_written(databases, fresh_copy):
    marks = databases.snapshot.restore(fresh_copy, databases.snapshot.marks)
    assert marks == databases.snapshot.marks
    run(fresh_copy, "UPDATE region SET name = name WHERE false", "ANALYZE", "VACUUM region")
    assert databases.snapshot.restore(fresh_copy, marks) == marks


SCHEMA_CHANGES = {
    "a column added": ["ALTER TABLE region ADD COLUMN colour text"],
    "an index dropped": ["DROP INDEX ix_reminder_due"],
    "an index made": ["CREATE INDEX ix_region_name ON region (name)"],
    "a function created": ["CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'"],
    "a default altered": ["ALTER TABLE region ALTER COLUMN name SET DEFAULT 'somewhere'"],
    "a table dropped": ["DROP TABLE reminder CASCADE"],
    "a table renamed": ["ALTER TABLE reminder RENAME TO reminders"],
    "a table dropped and another made": [
        "DROP TABLE seen_event CASCADE",
        "CREATE TABLE seen_events (id int)",
    ],
    "a check added": ["ALTER TABLE region ADD CHECK (length(name) < 1000)"],
    "a schema created": ["CREATE SCHEMA elsewhere"],
    "a sequence altered": ["ALTER SEQUENCE reminder_id_seq INCREMENT BY 7"],
}


@pytest.mark.parametrize("change", SCHEMA_CHANGES.values(), ids=SCHEMA_CHANGES.keys())
def test_a_changed_schema_is_seen(databases, fresh_copy, change):
    run(fresh_copy, *change)
    assert databases.snapshot.restore(fresh_copy, databases.snapshot.marks) is None


def test_a_database_with_a_changed_schema_is_not_handed_out_again(databases):
    url = databases.create()
    run(url, "ALTER TABLE region ADD COLUMN colour text")
    databases.drop(url)
    again = databases.create()
    try:
        with psycopg.connect(conninfo(again)) as connection:
            columns = connection.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'region' AND column_name = 'colour'"
            ).fetchone()[0]
        assert columns == 0
    finally:
        databases.drop(again)
