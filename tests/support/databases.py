"""Fresh, migrated and seeded databases for every test, on SQLite and on PostgreSQL.

A template is migrated once per backend and run; each test gets its own copy (a file copy
for SQLite; on PostgreSQL a used copy put back into the template's state, or else
``CREATE DATABASE … TEMPLATE``), so tests may commit freely and servers under test may use
their own connections.
"""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from storage.db import make_engine
from storage.migrate import upgrade
from tests.support.database_reset import Marks, TemplateSnapshot

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
    """Copies of a migrated template on a PostgreSQL server, each test's under a name of its own.

    A copy a test is done with is renamed for the next test and put back into the template's
    state (``tests.support.database_reset``: about 20 ms of the server's CPU). The name is the
    one part of the address free to differ per test: helpers append a query to it and put a
    password into it, so neither an ``application_name`` nor a password could. One whose schema
    the test changed is dropped instead; dropping waits for a checkpoint of the whole server
    (a second or more on a busy one), so ``drop`` only queues the name: a thread drops what is
    queued, all at once on several connections, while the tests go on. ``close`` waits for the
    queue to empty.
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
        self.snapshot = TemplateSnapshot.of(self.url_for(self.template))
        self._copies: set[str] = set()  # databases made from the template, in use
        self._clean: list[str] = []  # copies in the template's state, free to hand out
        # Per copy not yet dropped, how its tables were when it was handed out.
        self._marks: dict[str, Marks] = {}
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
        if self._clean:
            name = self._clean.pop()
        else:
            name = self._next_name()
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            self._marks[name] = self.snapshot.marks
        self._copies.add(name)
        return self.url_for(name)

    def _next_name(self) -> str:
        return f"{self.prefix}_{next(self._counter)}"

    def drop(self, url: str) -> None:
        """Done with the database: put back for the next test, or dropped soon when its
        schema changed (its engines must be disposed: its sessions are ended)."""
        name = make_url(url).database
        if name in self._copies:
            self._copies.discard(name)
            name = self._reset(name)
            if name in self._marks:
                self._clean.append(name)
                return
        self._doomed.put(name)

    def _reset(self, name: str) -> str:
        """Put a used copy back into the template's state, under a new name (in ``_marks``
        then): its name, or the name it is to be dropped under."""
        marks = self._marks.pop(name)
        try:
            # Renamed first: whatever of the last test might still connect finds no database,
            # so nothing of it writes after the reset.
            renamed = self._next_name()
            if not self._disconnect_and_rename(name, renamed):
                return name
            name = renamed
            marks = self.snapshot.restore(self.url_for(name), marks)
        except Exception as error:  # dropped instead, as before there was a way back
            print(f"could not reset test database {name}: {error}", file=sys.stderr)
            return name
        if marks is not None:
            self._marks[name] = marks
        return name

    def _disconnect_and_rename(self, name: str, renamed: str) -> bool:
        """End every session on the database (a killed bot's, a pool not disposed), wait for
        them to be gone, which renaming needs, and rename it; False when some stay."""
        terminate = text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"
        )
        deadline = time.monotonic() + 10
        pause = 0.001  # a backend is gone a moment after its client: look again soon
        with self.admin.connect() as connection:
            while connection.execute(terminate, {"name": name}).scalar_one():
                if time.monotonic() > deadline:
                    return False
                time.sleep(pause)
                pause = min(2 * pause, 0.01)
            connection.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{renamed}"'))
        return True

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
        for name in self._clean:
            self._doomed.put(name)
        self._doomed.put(None)
        self._dropper.join()
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()
