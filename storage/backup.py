"""Backups, restores and copies of the whole database (``chemclust-bot db backup``,
``db restore``, ``db copy``).

A backup is one of three kinds, told apart by the file's first bytes: a SQLite database
(SQLite's online backup API), a pg_dump archive in custom format (PostgreSQL with pg_dump on
PATH), or a portable zip (``storage.backup_portable``; on request, or on PostgreSQL without
pg_dump). Each is one consistent moment of the database, taken while the bot runs. Restores
and copies go only into an empty database, at the source's schema revision, and compare the
row counts table by table before they are done.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.backup_databases import (
    Database,
    open_database,
    parse_url,
    prepare_target,
    reason,
    require_known_revision,
    same_database,
    schema_revision,
    sqlite_path,
)
from storage.backup_native import (
    PG_DUMP_MAGIC,
    SQLITE_MAGIC,
    pg_archive_contents,
    pg_dump,
    pg_dump_available,
    pg_restore,
    read_only_sqlite,
    sqlite_backup,
    sqlite_restore,
)
from storage.backup_portable import Manifest, read_manifest, read_portable_rows, write_portable
from storage.backup_tables import (
    BATCH_SIZE,
    BackupError,
    count_rows,
    insert_rows,
    keep_benchmark_versions,
    read_rows,
    reset_sequences,
    snapshot,
    table_shapes,
)

__all__ = ["BackupError", "Moved", "Written", "copy_database", "restore_backup", "take_backup"]

SQLITE, PG_DUMP, PORTABLE = "sqlite", "pg_dump", "portable"


@dataclass(frozen=True)
class Written:
    """A backup file and what it holds."""

    path: Path
    kind: str
    size: int
    revision: str
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Moved:
    """Rows restored or copied: per table, the rows of the source and those found after."""

    source: str
    target: str
    revision: str
    counts: dict[str, tuple[int, int]]

    @property
    def rows(self) -> int:
        return sum(found for _, found in self.counts.values())


# Backup -------------------------------------------------------------------------------------


def take_backup(database_url: str, path: Path, *, portable: bool, now: datetime) -> Written:
    """Write a backup of the database at ``database_url`` to the new file ``path``."""
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new name, or move it away first.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    database = open_database(database_url, role="database", must_exist=True)
    # Written beside its final place and renamed when complete: no half backup under its name.
    handle, partial_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(handle)
    partial = Path(partial_name)
    try:
        if portable or (database.dialect == "postgresql" and not pg_dump_available()):
            kind, revision, counts = PORTABLE, *_portable_backup(database, partial, now)
        elif database.dialect == "sqlite":
            kind, revision, counts = SQLITE, *_sqlite_backup(database, partial)
        else:
            kind, revision, counts = PG_DUMP, *_pg_dump_backup(database, partial)
        partial.replace(path)
    except DBAPIError as error:
        raise BackupError(f"The backup of {database.shown} failed: {reason(error)}") from None
    finally:
        partial.unlink(missing_ok=True)
        database.dispose()
    return Written(path=path, kind=kind, size=path.stat().st_size, revision=revision, counts=counts)


def _revision_to_back_up(connection, database: Database) -> str:
    revision = schema_revision(connection)
    if revision is None:
        raise BackupError(
            f"{database.shown} has no chemclust-bot schema: there is nothing to back up."
        )
    return revision


def _portable_backup(database: Database, partial: Path, now: datetime) -> tuple[str, dict]:
    with snapshot(database.engine) as connection:
        revision = _revision_to_back_up(connection, database)
        shapes = table_shapes(connection)
        manifest = write_portable(
            connection, shapes, path=partial, revision=revision, created_at=now
        )
    return revision, {table.name: table.rows for table in manifest.tables}


def _sqlite_backup(database: Database, partial: Path) -> tuple[str, dict]:
    with database.engine.connect() as connection:
        _revision_to_back_up(connection, database)
    sqlite_backup(database.engine, partial)
    # What the file holds is the truth of the moment it copied: describe the file.
    return _describe_sqlite_file(partial)


def _describe_sqlite_file(path: Path) -> tuple[str, dict[str, int]]:
    engine = read_only_sqlite(path)
    try:
        with engine.connect() as connection:
            revision = schema_revision(connection)
            if revision is None:
                raise BackupError(
                    f"{path} is a SQLite database but not a chemclust-bot backup: it has no "
                    "schema revision."
                )
            names = [shape.name for shape in table_shapes(connection)]
            return revision, count_rows(connection, names)
    except DBAPIError as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {reason(error)}") from None
    finally:
        engine.dispose()


def _pg_dump_backup(database: Database, partial: Path) -> tuple[str, dict]:
    with snapshot(database.engine) as connection:
        # pg_dump works in this transaction's snapshot, so the counts below are the dump's.
        snapshot_id = connection.scalar(text("SELECT pg_export_snapshot()"))
        revision = _revision_to_back_up(connection, database)
        counts = count_rows(connection, [shape.name for shape in table_shapes(connection)])
        pg_dump(database.url, snapshot_id=snapshot_id, destination=partial)
    return revision, counts


# Restore ------------------------------------------------------------------------------------


def backup_kind(path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return SQLITE
    if start.startswith(PG_DUMP_MAGIC):
        return PG_DUMP
    if zipfile.is_zipfile(path):
        return PORTABLE
    raise BackupError(
        f"{path} is not a chemclust-bot backup: neither a SQLite database, a pg_dump archive "
        "nor a portable backup."
    )


@dataclass(frozen=True)
class _Backup:
    path: Path
    kind: str
    revision: str
    counts: dict[str, int]
    manifest: Manifest | None = None

    @property
    def named(self) -> str:
        return f"the backup {self.path.name}"


def _read_backup(path: Path) -> _Backup:
    """What a backup file is and holds, checked before any database is touched."""
    kind = backup_kind(path)
    manifest = None
    if kind == PORTABLE:
        manifest = read_manifest(path)
        revision = manifest.schema_revision
        counts = {table.name: table.rows for table in manifest.tables}
    elif kind == SQLITE:
        revision, counts = _describe_sqlite_file(path)
    else:
        found, counts = pg_archive_contents(path)
        if found is None:
            raise BackupError(
                f"{path} is a pg_dump archive but not of a chemclust-bot database: it has no "
                "schema revision."
            )
        revision = found
    require_known_revision(revision, whose=f"The backup {path}")
    return _Backup(path=path, kind=kind, revision=revision, counts=counts, manifest=manifest)


def restore_backup(database_url: str, path: Path, *, batch_size: int = BATCH_SIZE) -> Moved:
    """Restore the backup ``path`` into the empty database at ``database_url``."""
    backup = _read_backup(path)
    target = open_database(database_url, role="database", must_exist=False)
    try:
        if backup.manifest is not None:
            counts = _restore_portable(backup, backup.manifest, target, batch_size)
        elif backup.kind == SQLITE and target.dialect == "postgresql":
            source = Database(engine=read_only_sqlite(path), shown=str(path))
            try:
                return _copy(source, target, batch_size=batch_size)
            finally:
                source.dispose()
        elif backup.kind == SQLITE:
            counts = _restore_sqlite(backup, target)
        else:
            counts = _restore_pg_dump(backup, target)
    except DBAPIError as error:
        raise BackupError(f"The restore into {target.shown} failed: {reason(error)}") from None
    finally:
        target.dispose()
    return Moved(source=str(path), target=target.shown, revision=backup.revision, counts=counts)


def _restore_portable(
    backup: _Backup, manifest: Manifest, target: Database, batch_size: int
) -> dict[str, tuple[int, int]]:
    prepare_target(target, revision=backup.revision, source=backup.named)
    with target.engine.begin() as connection:
        into = {shape.name: shape for shape in table_shapes(connection)}
        for table in manifest.tables:
            if table.name not in into:
                raise BackupError(
                    f"The database has no table {table.name}, which {backup.path} has."
                )
            shape = into[table.name].in_order(table.column_names, of=str(backup.path))
            for batch in read_portable_rows(backup.path, table, batch_size=batch_size):
                insert_rows(connection, shape, batch)
        reset_sequences(connection, list(into.values()))
        keep_benchmark_versions(connection)
        # Checked before the commit: a difference leaves the database as empty as it was.
        return _compared(backup.counts, count_rows(connection, backup.counts), what=backup.named)


def _restore_sqlite(backup: _Backup, target: Database) -> dict[str, tuple[int, int]]:
    prepare_target(target, revision=backup.revision, source=backup.named, migrate=False)
    target.dispose()  # no connection of ours may hold the file while it is replaced
    sqlite_restore(backup.path, sqlite_path(target.url))
    with target.engine.connect() as connection:
        return _compared(backup.counts, count_rows(connection, backup.counts), what=backup.named)


def _restore_pg_dump(backup: _Backup, target: Database) -> dict[str, tuple[int, int]]:
    if target.dialect != "postgresql":
        raise BackupError(
            f"{backup.path} is a pg_dump archive, which restores into PostgreSQL only: for "
            "SQLite, take a portable backup (chemclust-bot db backup --portable FILE) or use "
            "db copy."
        )
    had_tables = prepare_target(
        target, revision=backup.revision, source=backup.named, migrate=False
    )
    pg_restore(target.url, backup.path, replace_tables=had_tables)
    with target.engine.connect() as connection:
        return _compared(backup.counts, count_rows(connection, backup.counts), what=backup.named)


# Copy ---------------------------------------------------------------------------------------


def copy_database(source_url: str, target_url: str, *, batch_size: int = BATCH_SIZE) -> Moved:
    """Copy every row of the database at ``source_url`` into the empty one at ``target_url``."""
    if same_database(parse_url(source_url), parse_url(target_url)):
        raise BackupError("The target is the database you copy from: give another one.")
    source = open_database(source_url, role="source", must_exist=True)
    try:
        target = open_database(target_url, role="target", must_exist=False)
        try:
            return _copy(source, target, batch_size=batch_size)
        except DBAPIError as error:
            raise BackupError(f"The copy into {target.shown} failed: {reason(error)}") from None
        finally:
            target.dispose()
    finally:
        source.dispose()


def _copy(source: Database, target: Database, *, batch_size: int) -> Moved:
    with snapshot(source.engine) as reading:
        revision = schema_revision(reading)
        if revision is None:
            raise BackupError(f"{source.shown} has no chemclust-bot schema: nothing to copy.")
        require_known_revision(revision, whose=source.shown)
        prepare_target(target, revision=revision, source=source.shown)
        shapes = table_shapes(reading)
        expected = count_rows(reading, [shape.name for shape in shapes])
        with target.engine.begin() as writing:
            into = {shape.name: shape for shape in table_shapes(writing)}
            for shape in shapes:
                if shape.name not in into:
                    raise BackupError(f"{target.shown} has no table {shape.name}.")
                target_shape = into[shape.name].in_order(shape.column_names, of=source.shown)
                for batch in read_rows(reading, shape, batch_size=batch_size):
                    insert_rows(writing, target_shape, batch)
            reset_sequences(writing, list(into.values()))
            keep_benchmark_versions(writing)
            counts = _compared(expected, count_rows(writing, expected), what=source.shown)
    return Moved(source=source.shown, target=target.shown, revision=revision, counts=counts)


def _compared(
    expected: dict[str, int], found: dict[str, int], *, what: str
) -> dict[str, tuple[int, int]]:
    counts = {name: (rows, found.get(name, 0)) for name, rows in expected.items()}
    wrong = [f"{name} {had:,} → {got:,}" for name, (had, got) in counts.items() if had != got]
    if wrong:
        raise BackupError(f"The row counts differ from {what}: {'; '.join(wrong)}.")
    return counts
