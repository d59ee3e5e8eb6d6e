"""/healthz's view of the database (bot/liveness.py): answered from a recent ping without
waiting for the database, asked again as soon as the database was found away."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

import bot.liveness as liveness
from bot.liveness import FRESH_SECONDS, REFRESH_SECONDS, DatabaseWatch
from storage.db import make_engine


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Pings:
    """Stands in for storage.db.ping: counts, answers ``ok``, and can be held back."""

    def __init__(self) -> None:
        self.count = 0
        self.ok = True
        self.go = threading.Event()
        self.go.set()

    def __call__(self, engine) -> bool:
        self.count += 1
        assert self.go.wait(10)
        return self.ok


@pytest.fixture
def pings(monkeypatch) -> Pings:
    fake = Pings()
    monkeypatch.setattr(liveness, "ping", fake)
    return fake


@pytest.fixture
def engine(tmp_path):
    made = make_engine(f"sqlite:///{tmp_path / 'watch.db'}")
    yield made
    made.dispose()


@contextmanager
def watching(engine, clock: Clock, pings: Pings) -> Iterator[DatabaseWatch]:
    """A watch on ``engine``, closed at the end once a ping held back is let go."""
    watch = DatabaseWatch(engine, clock=clock)
    try:
        yield watch
    finally:
        pings.go.set()
        watch.close()


def test_a_recent_ok_is_told_without_waiting_for_the_database(engine, pings):
    clock = Clock()

    async def scenario() -> list:
        with watching(engine, clock, pings) as watch:
            first = await watch.database_ok()  # nothing known yet: asks the database
            pings.go.clear()  # from now on the database takes its time
            clock.now += REFRESH_SECONDS / 2
            recent = await asyncio.wait_for(watch.database_ok(), 1)
            counted = pings.count
            clock.now += REFRESH_SECONDS  # a second old: told, and the next ping starts
            older = await asyncio.wait_for(watch.database_ok(), 1)
            await asyncio.sleep(0.05)
            started = pings.count
            pings.go.set()
            return [first, recent, counted, older, started]

    assert asyncio.run(scenario()) == [True, True, 1, True, 2]


def test_an_old_or_failed_answer_is_not_repeated(engine, pings):
    clock = Clock()

    async def scenario() -> list:
        with watching(engine, clock, pings) as watch:
            said = [await watch.database_ok()]
            pings.ok = False
            clock.now += FRESH_SECONDS  # too old to tell: asks, and hears of the outage
            said.append(await watch.database_ok())
            pings.ok = True
            said.append(await watch.database_ok())  # after a failure: asks again at once
            return [*said, pings.count]

    assert asyncio.run(scenario()) == [True, False, True, 3]


def test_a_statement_error_is_no_outage(engine, pings):
    clock = Clock()

    async def scenario() -> list:
        with watching(engine, clock, pings) as watch:
            said = [await watch.database_ok()]
            pings.ok = False
            with engine.connect() as connection, pytest.raises(OperationalError):
                connection.execute(text("SELECT * FROM no_such_table"))
            said.append(await watch.database_ok())  # still the recent "ok"
            return [*said, pings.count]

    assert asyncio.run(scenario()) == [True, True, 1]


def test_an_outage_met_by_a_request_is_reported_by_the_next_probe(pings):
    clock = Clock()
    # Nothing listens on port 1: every connection is refused, as by a server that is down.
    engine = make_engine("postgresql+psycopg://bot@127.0.0.1:1/gone")

    async def scenario() -> list:
        try:
            with watching(engine, clock, pings) as watch:
                said = [await watch.database_ok()]  # the stand-in ping says "ok"
                with pytest.raises(OperationalError):
                    engine.connect()  # a request meets the outage
                pings.ok = False
                said.append(await watch.database_ok())  # asked, not repeated from before
                return [*said, pings.count]
        finally:
            engine.dispose()

    assert asyncio.run(scenario()) == [True, False, 2]


def test_a_ping_begun_before_an_outage_does_not_vouch_for_after_it(engine, pings):
    clock = Clock()

    async def scenario() -> list:
        with watching(engine, clock, pings) as watch:
            pings.go.clear()
            probe = asyncio.ensure_future(watch.database_ok())
            together = asyncio.ensure_future(watch.database_ok())
            await asyncio.sleep(0.05)
            watch._on_error(_Unreachable())  # the database goes while the ping is out
            pings.go.set()
            said = [await probe, await together, watch._ok_at]
            return [*said, pings.count]

    # Both probes shared one ping; its "ok" is told, but not remembered.
    assert asyncio.run(scenario()) == [True, True, None, 1]


class _Unreachable:
    """What SQLAlchemy's handle_error hands over for a lost connection."""

    is_disconnect = True
    sqlalchemy_exception = None
    original_exception = ConnectionError("server closed the connection")
