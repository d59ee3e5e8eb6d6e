"""Backups, restores and copies keep every value, between and within SQLite and PostgreSQL:
timezone-aware datetimes, JSON (SQL NULL and JSON null apart), booleans, bytes, dates, text
that is awkward to carry; the search indexes are rebuilt by the target, never copied."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import make_url

from storage import backup as backup_module
from storage.backup import copy_database, restore_backup, take_backup
from storage.models import utcnow
from tests.storage.backup_support import (
    PARTNER,
    SEARCHES,
    answers,
    backend_of,
    core_on,
    empty_database,
    json_nulls,
    row_counts,
    seeded_database,
    table_contents,
    use_the_group,
)

PG = pytest.mark.postgresql
ROUTES = [
    pytest.param("sqlite", "postgresql", id="sqlite-to-postgresql", marks=PG),
    pytest.param("postgresql", "sqlite", id="postgresql-to-sqlite", marks=PG),
    pytest.param("sqlite", "sqlite", id="sqlite-to-sqlite"),
    pytest.param("postgresql", "postgresql", id="postgresql-to-postgresql", marks=PG),
]


@pytest.fixture(scope="session")
def used_sqlite_file(sqlite_databases, tmp_path_factory) -> Path:
    """One SQLite database seeded and used, for the tests to copy: using it (a dozen
    commands, an import, a dispatch) is the same work every time, a copy almost none."""
    url = sqlite_databases.create()
    use_the_group(url)
    used = tmp_path_factory.mktemp("used") / "used.db"
    with (
        closing(sqlite3.connect(make_url(url).database)) as source,
        closing(sqlite3.connect(used)) as copy,
    ):
        source.backup(copy)  # whatever is still in the write-ahead log included
    sqlite_databases.drop(url)
    return used


@pytest.fixture
def used(request, tmp_path):
    """A source database, seeded and used, on the backend a test asks for."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            own = tmp_path / f"used-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(request.getfixturevalue("used_sqlite_file"), own)
            return f"sqlite:///{own}"
        url = seeded_database(request, backend)
        use_the_group(url)
        return url

    return make


def assert_same(source: str, target: str, held: dict | None = None) -> None:
    """``held``: the source's table contents, when they were read and it is only read."""
    assert table_contents(target) == (table_contents(source) if held is None else held)
    assert json_nulls(target) == json_nulls(source)
    if backend_of(source) != backend_of(target):
        # The search index is the target's own: it finds what the source's found.
        assert answers(target, SEARCHES) == answers(source, SEARCHES)


@pytest.mark.parametrize(("source_backend", "target_backend"), ROUTES)
def test_a_copy_in_small_batches_keeps_every_value(request, used, source_backend, target_backend):
    source = used(source_backend)
    before = table_contents(source)
    target = empty_database(request, target_backend)

    copied = copy_database(source, target, batch_size=3)

    assert table_contents(source) == before  # only read
    assert_same(source, target, held=before)
    assert copied.counts["practice"] == (26, 26)
    assert copied.counts["benchmark_value"][0] > 3 * 100  # many batches


@pytest.mark.parametrize(("source_backend", "target_backend"), ROUTES)
def test_a_portable_backup_restores_every_value(
    request, used, tmp_path, source_backend, target_backend
):
    source = used(source_backend)
    path = tmp_path / "group.zip"
    written = take_backup(source, path, portable=True, now=utcnow())
    target = empty_database(request, target_backend)

    restored = restore_backup(target, path, batch_size=4)

    assert written.kind == "portable"
    assert_same(source, target)
    assert {name: rows for name, (rows, _) in restored.counts.items()} == written.counts


@pytest.mark.parametrize(
    ("backend", "kind"),
    [
        pytest.param("sqlite", "sqlite", id="sqlite-file"),
        pytest.param("postgresql", "pg_dump", id="pg_dump-archive", marks=PG),
    ],
)
def test_a_native_backup_restores_into_its_own_kind(request, used, tmp_path, backend, kind):
    source = used(backend)
    path = tmp_path / "group.backup"
    written = take_backup(source, path, portable=False, now=utcnow())
    target = empty_database(request, backend)

    restore_backup(target, path)

    assert written.kind == kind
    assert_same(source, target)


@PG
def test_a_sqlite_backup_file_restores_into_postgresql_too(request, used, tmp_path):
    source = used("sqlite")
    path = tmp_path / "group.db"
    take_backup(source, path, portable=False, now=utcnow())
    target = empty_database(request, "postgresql")

    restore_backup(target, path)

    assert_same(source, target)


@pytest.mark.parametrize(
    ("backend", "portable", "step"),
    [
        pytest.param("sqlite", True, "write_portable", id="sqlite-portable"),
        pytest.param("postgresql", True, "write_portable", id="postgresql-portable", marks=PG),
        pytest.param("postgresql", False, "pg_dump", id="pg_dump", marks=PG),
    ],
)
def test_a_backup_is_one_moment_while_the_bot_writes(
    request, monkeypatch, tmp_path, backend, portable, step
):
    source = seeded_database(request, backend)
    joined = []

    def someone_joins_meanwhile(*args, **kwargs):
        # After the backup has begun reading, before it writes the file: the bot writes.
        core, engine = core_on(source)
        try:
            core.run_line(PARTNER, "/chemclust join Limburg")
        finally:
            engine.dispose()
        joined.append(row_counts(source)["member"])
        return original(*args, **kwargs)

    original = getattr(backup_module, step)
    monkeypatch.setattr(backup_module, step, someone_joins_meanwhile)
    path = tmp_path / "moment.backup"
    written = take_backup(source, path, portable=portable, now=utcnow())
    target = empty_database(request, backend)
    restored = restore_backup(target, path)

    assert joined == [1]  # the member was there before the file was written…
    assert row_counts(target)["member"] == written.counts["member"] == 0  # …but not in it
    assert restored.rows == written.rows
