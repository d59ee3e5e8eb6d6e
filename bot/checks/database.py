"""The database: can it be reached, and is its schema at this version's migrations?"""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.checks import Check, ok, problem
from storage.db import hidden_password, is_sqlite, outage_reason
from storage.migrate import alembic_config, current_revisions, head_revisions

UPGRADE = "run `chemclust-bot db upgrade` (the Procfile's release step does it at each deploy)"


def reachable(engine: Engine, url: str) -> Check:
    path = make_url(url).database if is_sqlite(url) else None
    if path and path != ":memory:" and not Path(path).exists():
        # Connecting would create an empty file; the doctor changes nothing.
        return problem(
            "database",
            f"there is no SQLite database at {Path(path).resolve()}",
            "check DATABASE_URL and the working directory; `chemclust-bot db upgrade` creates it",
        )
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as error:
        return problem(
            "database",
            f"cannot reach the database at {hidden_password(url)} ({outage_reason(error)})",
            "check DATABASE_URL, that the server runs and that this host may connect to it",
        )
    return ok("database", f"reachable at {hidden_password(url)}")


def schema(engine: Engine) -> Check:
    current, heads = current_revisions(engine), head_revisions()
    if current == heads:
        return ok("schema", f"current (revision {', '.join(sorted(heads))})")
    if not current:
        return problem("schema", "the database has no schema yet (no migration applied)", UPGRADE)
    pending = _pending(current)
    if pending is None:
        return problem(
            "schema",
            f"the database is at revision {', '.join(sorted(current))}, which this version "
            "does not know (a newer version migrated it?)",
            "deploy the version that migrated it, or restore a backup made by this one",
        )
    return problem(
        "schema",
        f"{len(pending)} migration(s) not applied: {', '.join(pending)}",
        UPGRADE,
    )


def _pending(current: set[str]) -> list[str] | None:
    """The revisions between the database's and the newest, oldest first; None when the
    database's revision is not one of this version's."""
    script = ScriptDirectory.from_config(alembic_config())
    known = {revision.revision for revision in script.walk_revisions()}
    if not current <= known:
        return None
    between = script.iterate_revisions("heads", tuple(current))
    return [revision.revision for revision in reversed(list(between))]
