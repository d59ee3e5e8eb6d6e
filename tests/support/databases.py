"""Fresh, migrated and seeded databases for every test, on SQLite and on PostgreSQL.

A template is migrated once per backend and run; each test gets its own copy (a file copy
for SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL), so tests may commit freely and
servers under test may use their own connections.
"""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from storage.db import make_engine
from storage.migrate import upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("CHEMCLUST_TEST_POSTGRES_URL", "").strip() or DEFAULT_POSTGRES_URL


def postgres_required() -> bool:
    return os.environ.get("CHEMCLUST_REQUIRE_POSTGRES", "").strip() not in {"", "0", "false", "no"}


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    engine = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    finally:
        engine.dispose()
    return None


class SqliteDatabases:
    def __init__(self, directory: Path):
        self.directory = directory
        self.template = directory / "template.db"
        self._counter = itertools.count()
        engine = make_engine(f"sqlite:///{self.template}")
        upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    def create(self) -> str:
        path = self.directory / f"test-{next(self._counter)}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Copies of a migrated template on a PostgreSQL server, dropped behind the tests' backs.

    Creating a copy takes a few hundredths of a second; dropping one waits for a checkpoint
    of the whole server (a second or more on a busy one). So ``drop`` only queues the name:
    a thread drops what is queued, all at once on several connections, where one checkpoint
    serves them all, while the tests go on. ``close`` waits for the queue to empty.
    """

    DROPPING_AT_ONCE = 8

    def __init__(self, admin_url: str):
        self.admin_url = make_url(admin_url)
        self.prefix = f"chemclust_t{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template = f"{self.prefix}_tpl"
        self._counter = itertools.count()
        self.admin = create_engine(
            self.admin_url, isolation_level="AUTOCOMMIT", pool_size=self.DROPPING_AT_ONCE
        )
        self._execute(f'CREATE DATABASE "{self.template}"')
        engine = make_engine(self.url_for(self.template))
        upgrade(engine)
        engine.dispose()
        self._doomed: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        # A daemon: a run that never calls ``close`` leaves databases behind, but still ends.
        self._dropper = threading.Thread(
            target=self._drop_queued, name="drop-databases", daemon=True
        )
        self._dropper.start()

    def url_for(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def create(self) -> str:
        name = f"{self.prefix}_{next(self._counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.url_for(name)

    def drop(self, url: str) -> None:
        """Drop the database soon (its engines must be disposed: its sessions are ended)."""
        self._doomed.put(make_url(url).database)

    def _drop_queued(self) -> None:
        with ThreadPoolExecutor(self.DROPPING_AT_ONCE, thread_name_prefix="drop") as pool:
            while True:
                names = [self._doomed.get()]
                while not self._doomed.empty():
                    names.append(self._doomed.get())
                batch = [name for name in names if name is not None]
                list(pool.map(self._drop_now, batch))
                if None in names:
                    return

    def _drop_now(self, name: str) -> None:
        try:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:  # one left behind must not stop the others being dropped
            print(f"could not drop test database {name}: {error}", file=sys.stderr)

    def close(self) -> None:
        self._doomed.put(None)
        self._dropper.join()
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()
