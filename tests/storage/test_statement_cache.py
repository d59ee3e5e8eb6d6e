"""Compiled SQL shared by a process's engines: reused on the same kind of server, kept apart
across kinds, and each engine still reads its own database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.orm import Session

from storage.db import make_engine
from storage.models import WorkingGroup
from storage.statement_cache import STATEMENTS, SharedStatementCache
from tests.storage.backup_support import backend_of, seeded_database

KEY_REST = ("statement", (), False, False)
BACKENDS = ("sqlite", "postgresql")


def _groups_counted() -> Select:
    # A label of its own, so no other test has compiled this statement before.
    return select(func.count(WorkingGroup.id).label(f"groups_{uuid.uuid4().hex}"))


def _count(engine: Engine, statement: Select, *, cache: SharedStatementCache | None = None) -> int:
    with engine.connect() as connection:
        if cache is not None:
            connection = connection.execution_options(compiled_cache=cache)
        return connection.execute(statement).scalar_one()


def test_a_second_engine_on_the_same_server_reuses_the_statement_and_reads_its_own_rows(
    database_url: str, request: pytest.FixtureRequest
) -> None:
    other_url = seeded_database(request, backend_of(database_url))
    first, second = make_engine(database_url), make_engine(other_url)
    try:
        with Session(second) as session, session.begin():
            session.add(WorkingGroup(slug="second", name="Second group", timezone="UTC"))
        statement = _groups_counted()

        compiled_before = len(STATEMENTS)
        assert _count(first, statement) == 1
        assert len(STATEMENTS) == compiled_before + 1
        assert _count(second, statement) == 2
        assert len(STATEMENTS) == compiled_before + 1
    finally:
        first.dispose()
        second.dispose()


@pytest.mark.postgresql
def test_engines_on_different_kinds_of_server_compile_apart(
    request: pytest.FixtureRequest,
) -> None:
    engines = [make_engine(seeded_database(request, backend)) for backend in BACKENDS]
    cache = SharedStatementCache()
    statement = _groups_counted()
    try:
        assert [_count(engine, statement, cache=cache) for engine in engines] == [1, 1]
        assert len(cache) == 2
        assert [_count(engine, statement, cache=cache) for engine in engines] == [1, 1]
        assert len(cache) == 2
    finally:
        for engine in engines:
            engine.dispose()


def _connected_dialect(**learnt: object) -> PGDialect_psycopg:
    """A dialect as if it had connected and learnt ``learnt`` from the server."""
    dialect = PGDialect_psycopg()
    dialect.server_version_info = (15, 20)
    dialect.default_schema_name = "public"
    for name, value in learnt.items():
        setattr(dialect, name, value)
    return dialect


def test_a_dialect_like_the_first_finds_its_statement() -> None:
    cache = SharedStatementCache()
    cache[(_connected_dialect(), *KEY_REST)] = "compiled"

    assert cache.get((_connected_dialect(), *KEY_REST)) == "compiled"
    assert (_connected_dialect(), *KEY_REST) in cache


@pytest.mark.parametrize(
    "learnt",
    [
        {"server_version_info": (16, 4)},
        {"default_schema_name": "reporting"},
        {"_backslash_escapes": False},
        {"label_length": 30},
    ],
    ids=["server version", "schema", "string escapes", "label length"],
)
def test_a_dialect_that_learnt_otherwise_compiles_its_own(learnt: dict[str, object]) -> None:
    cache = SharedStatementCache()
    cache[(_connected_dialect(), *KEY_REST)] = "compiled"

    assert cache.get((_connected_dialect(**learnt), *KEY_REST)) is None


def test_values_a_dialect_memoizes_on_first_use_do_not_set_it_apart() -> None:
    cache = SharedStatementCache()
    cache[(_connected_dialect(), *KEY_REST)] = "compiled"
    used = _connected_dialect()
    assert isinstance(used._dialect_specific_select_one, str)  # now kept on the instance

    assert cache.get((used, *KEY_REST)) == "compiled"


def test_keys_without_a_dialect_are_kept_as_given() -> None:
    cache = SharedStatementCache()
    cache["plain"] = "compiled"

    assert cache["plain"] == "compiled"
    assert cache.get("other") is None
