"""The PostgreSQL connection pool: connections kept open under load, dead ones replaced."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from storage.db import make_engine

pytestmark = pytest.mark.postgresql

AT_ONCE = 8


@pytest.fixture
def engine(postgresql_databases) -> Iterator[Engine]:
    url = postgresql_databases.create()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    postgresql_databases.drop(url)


def _server_process(connection: Connection) -> int:
    return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _pooled_server_processes(engine: Engine, count: int) -> set[int]:
    """Check out ``count`` connections at once, note their server processes, return them all."""
    found: set[int] = set()
    all_in = threading.Barrier(count)

    def one() -> None:
        with engine.connect() as connection:
            found.add(_server_process(connection))
            all_in.wait(timeout=10)  # all held together, so none is handed out twice

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def _end_server_processes(engine: Engine, pids: set[int]) -> None:
    """End those server processes as a restart would, until the server lists none of them
    (``PostgresDatabases._disconnect_and_rename``'s way); from a connection of its own, so
    that the pool under test is left as it was."""
    still_there = text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = ANY(:p)"
    )
    deadline = time.monotonic() + 10
    with create_engine(engine.url, poolclass=NullPool).connect() as admin:
        while admin.execute(still_there, {"p": list(pids)}).scalar_one():
            admin.rollback()  # a fresh snapshot of pg_stat_activity for the next look
            assert time.monotonic() < deadline, f"server processes {pids} did not end"
            time.sleep(0.01)


def test_eight_commands_at_once_reuse_their_connections_instead_of_opening_new_ones(
    engine: Engine,
) -> None:
    first = _pooled_server_processes(engine, AT_ONCE)
    again = _pooled_server_processes(engine, AT_ONCE) | _pooled_server_processes(engine, AT_ONCE)

    assert len(first) == AT_ONCE
    assert again == first


def test_a_pooled_connection_whose_server_process_ended_is_replaced_before_it_is_used(
    engine: Engine,
) -> None:
    (dead,) = _pooled_server_processes(engine, 1)
    _end_server_processes(engine, {dead})

    with engine.connect() as connection:
        replaced = _server_process(connection)

    assert replaced != dead
