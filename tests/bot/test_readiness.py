"""/readyz's migration check: done on a current schema without Alembic (a light start, issue
14), pending on a schema behind the migration files."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from types import SimpleNamespace

from sqlalchemy import text

from bot.readiness import Readiness
from storage.db import make_engine

# A web process's runtime as far as the readiness check reads it: no Slack, no Teams.
CHECK = """
import asyncio, sys, threading
from types import SimpleNamespace
from bot.readiness import Readiness
from storage.db import make_engine
runtime = SimpleNamespace(
    engine=make_engine(sys.argv[1]),
    stopping=threading.Event(),
    settings=SimpleNamespace(slack_enabled=False, teams_mode="off"),
)
ready, body = asyncio.run(Readiness(runtime).check())
print(ready, body["migrations"], "alembic" in sys.modules)
"""


def check(engine) -> tuple[bool, dict]:
    runtime = SimpleNamespace(
        engine=engine,
        stopping=threading.Event(),
        settings=SimpleNamespace(slack_enabled=False, teams_mode="off"),
    )
    return asyncio.run(Readiness(runtime).check())


def test_a_current_schema_is_ready_without_loading_alembic(database_url):
    ran = subprocess.run(
        [sys.executable, "-c", CHECK, database_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert ran.stdout.split() == ["True", "done", "False"]


def test_a_schema_behind_the_migration_files_is_pending(database_url):
    engine = make_engine(database_url)
    assert check(engine) == (
        True,
        {"status": "ready", "database": "ok", "migrations": "done", "teams": "off"},
    )
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0009_digest_lease'"))
    ready, body = check(engine)
    engine.dispose()
    assert not ready
    assert (body["status"], body["migrations"]) == ("not ready", "pending")
