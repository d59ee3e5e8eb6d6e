"""Schema migrations (Alembic) and seeding, run at start and by ``chemclust-bot db upgrade``.

Alembic (with Mako and Pygments) is imported only when there is migrating to do: a start on a
current schema compares the database's revisions with the migration files' and goes on.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any constant works; it only has to be the same for every process of this app.
_PG_MIGRATION_LOCK = 0x43_48_45_4D  # "CHEM"


# Schema objects that migrations create by hand because SQLAlchemy's metadata cannot describe
# them (full-text search tables, generated search columns): autogenerate and the schema test
# must neither drop them nor report them as differences.
UNMAPPED_TABLE_PREFIXES = ("practice_fts",)
UNMAPPED_COLUMNS = frozenset({("practice", "search_vector")})
UNMAPPED_INDEXES = frozenset({"ix_practice_search"})


def include_name(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Alembic's ``include_name`` hook: leave the hand-made schema objects out of comparisons."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(UNMAPPED_TABLE_PREFIXES)
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in UNMAPPED_COLUMNS
    if type_ == "index":
        return name not in UNMAPPED_INDEXES
    return True


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Revision ids are ordered by hand ("0002_events"), so file names read in order.
    config.set_main_option("file_template", "%%(rev)s")
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """Serialise migrations when several processes start at once on one PostgreSQL."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    connection.commit()
    try:
        yield
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
        connection.commit()


def upgrade(engine: Engine, *, seed: bool = True) -> None:
    """Bring the schema to the newest revision, then add any missing seed rows."""
    from storage.seed import seed_database

    with engine.connect() as connection, _migration_lock(connection):
        if not is_current(connection):
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
        connection.commit()
        if seed:
            seed_database(connection)
            connection.commit()


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_current(connection: Connection) -> bool:
    """Whether the database stands at the migration files' newest revisions, read without
    Alembic. False whenever in doubt (no version table, a file that cannot be read)."""
    heads = _file_heads()
    stored: set[str] = set()
    if heads is not None and inspect(connection).has_table("alembic_version"):
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        stored = {row[0] for row in rows}
    connection.rollback()  # ends the reading transaction, so migrating starts afresh
    return heads is not None and stored == heads


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+)$", re.MULTILINE)


@cache
def _file_heads() -> frozenset[str] | None:
    """The revisions no migration file builds on, from the files' ``revision`` and
    ``down_revision`` lines; None when a file does not say both plainly."""
    revisions: set[str] = set()
    builds_on: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        builds_on.update([down] if isinstance(down, str) else (down or ()))
    return frozenset(revisions - builds_on) or None


def draft_revision(engine: Engine, *, message: str, rev_id: str) -> str:
    """Write a migration for the difference between the models and the (upgraded) database."""
    from alembic import command

    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    scripts = script if isinstance(script, list) else [script]
    return ", ".join(s.path for s in scripts if s is not None)
