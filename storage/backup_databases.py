"""The databases a backup, restore or copy works on: reached by URL (whose password is never
shown), their schema revision, and a target made ready: empty, with the right schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from storage.backup_tables import BackupError, count_rows, table_shapes
from storage.db import database_url, make_engine
from storage.migrate import alembic_config

# An address that does not answer should fail in seconds, not hang the operator's terminal.
CONNECT_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Database:
    engine: Engine
    # The address as people may see it: with the password replaced by ***.
    shown: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> URL:
        return self.engine.url

    def dispose(self) -> None:
        self.engine.dispose()


def shown_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def parse_url(raw: str) -> URL:
    """A database address as DATABASE_URL takes it (``postgres://`` too), or BackupError."""
    try:
        url = make_url(database_url({"DATABASE_URL": raw}))
    except ArgumentError:
        raise BackupError(f"“{raw}” is not a database URL.") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise BackupError(
            f"{shown_url(url)}: chemclust-bot works with SQLite (sqlite:///FILE) and "
            "PostgreSQL (postgresql://USER:PASSWORD@HOST/DB) databases only."
        )
    if url.get_backend_name() == "sqlite" and url.database in {None, "", ":memory:"}:
        raise BackupError(f"{shown_url(url)} is a database in memory: give a file, sqlite:///FILE.")
    return url


def sqlite_path(url: URL) -> Path | None:
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


def same_database(first: URL, second: URL) -> bool:
    if first.get_backend_name() != second.get_backend_name():
        return False
    if first.get_backend_name() == "sqlite":
        return sqlite_path(first).resolve() == sqlite_path(second).resolve()
    return (first.host, first.port or 5432, first.database) == (
        second.host,
        second.port or 5432,
        second.database,
    )


def open_database(raw_url: str, *, role: str, must_exist: bool) -> Database:
    """Connect to a database, saying in one line why not. ``role`` names it in messages."""
    url = parse_url(raw_url)
    shown = shown_url(url)
    path = sqlite_path(url)
    if path is not None:
        if must_exist and not path.is_file():
            # Connecting would create an empty file where the operator expects their data.
            raise BackupError(f"There is no SQLite database at {path} (the {role}).")
        if not path.parent.is_dir():
            raise BackupError(f"The folder {path.parent} does not exist (the {role}, {shown}).")
    elif "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})
    try:
        engine = make_engine(url.render_as_string(hide_password=False))
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise BackupError(f"Cannot use {shown} (the {role}): {error}") from None
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except DBAPIError as error:
        engine.dispose()
        raise BackupError(f"Cannot reach the {role} {shown}: {reason(error, url)}") from None
    return Database(engine=engine, shown=shown)


def reason(error: BaseException, url: URL | None = None) -> str:
    """The first line of what the driver said, without the password if it repeated it."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    said = lines[0] if lines else type(original).__name__
    if url is not None and url.password:
        said = said.replace(str(url.password), "***")
    return said


# Schema revisions ---------------------------------------------------------------------------


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at; None when it has none (not migrated)."""
    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:
        raise BackupError(f"The database is at several schema revisions ({', '.join(heads)}).")
    return heads[0] if heads else None


def require_known_revision(revision: str, *, whose: str) -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    try:
        scripts.get_revision(revision)
    except CommandError:
        raise BackupError(
            f"{whose} is at schema revision {revision}, which this chemclust-bot does not know "
            f"(its newest is {scripts.get_current_head()}): use the version that wrote it."
        ) from None


def migrate_to(engine: Engine, revision: str) -> None:
    """Create the schema of one revision (no seed data: the rows come from elsewhere)."""
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def prepare_target(target: Database, *, revision: str, source: str, migrate: bool = True) -> bool:
    """Make sure the target holds no rows and, if it has tables, is at ``revision``; a target
    without tables is migrated to it when ``migrate``. ``source`` names the other side in
    messages. Says whether the target had tables."""
    with target.engine.connect() as connection:
        shapes = table_shapes(connection)
        at = schema_revision(connection)
        counts = count_rows(connection, (shape.name for shape in shapes))
    filled = {name: rows for name, rows in counts.items() if rows}
    if filled:
        held = ", ".join(f"{name} ({rows:,})" for name, rows in filled.items())
        raise BackupError(f"{target.shown} is not empty: rows in {held}. Use an empty database.")
    if at is None and shapes:
        raise BackupError(
            f"{target.shown} has tables but no chemclust-bot schema revision: use an empty "
            "database."
        )
    if at is not None and at != revision:
        raise BackupError(
            f"The schema revisions differ: {source} is at {revision}, {target.shown} at {at}. "
            "Bring both to one revision (chemclust-bot db upgrade) or use a database without "
            "tables."
        )
    if at is None and migrate:
        migrate_to(target.engine, revision)
    return at is not None
