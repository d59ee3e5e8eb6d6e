"""Schema migrations (Alembic) and seeding, run at start and by ``chemclust-bot db upgrade``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

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
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
        connection.commit()
        if seed:
            seed_database(connection)
            connection.commit()


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def draft_revision(engine: Engine, *, message: str, rev_id: str) -> str:
    """Write a migration for the difference between the models and the (upgraded) database."""
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    scripts = script if isinstance(script, list) else [script]
    return ", ".join(s.path for s in scripts if s is not None)
