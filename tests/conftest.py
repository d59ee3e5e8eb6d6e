"""Shared fixtures: a fresh database per test on both backends, the core, Slack stand-ins."""

from __future__ import annotations

import gc
import logging
import re
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.heap import settle_heap
from bot.settings import Settings
from commands import build_registry, offload
from commands.context import Identity
from commands.core import Core
from storage.db import SessionFactory, make_engine, make_session_factory
from tests.support.bot_server import RunningBot, start_bot
from tests.support.databases import (
    PostgresDatabases,
    SqliteDatabases,
    postgres_admin_url,
    postgres_problem,
    postgres_required,
)
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET

COORDINATOR_ID = "UCOORD"
PARTNER_ID = "UPARTNER"
FIXED_NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteDatabases]:
    databases = SqliteDatabases(tmp_path_factory.mktemp("sqlite"))
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def postgresql_databases() -> Iterator[PostgresDatabases]:
    problem = postgres_problem()
    if problem is not None:
        message = f"PostgreSQL at {postgres_admin_url()} is not reachable ({problem})"
        if postgres_required():
            pytest.fail(message + "; CHEMCLUST_REQUIRE_POSTGRES is set", pytrace=False)
        pytest.skip(message + "; set CHEMCLUST_TEST_POSTGRES_URL to run these tests")
    databases = PostgresDatabases(postgres_admin_url())
    yield databases
    databases.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A freshly migrated and seeded database of its own, on SQLite and on PostgreSQL."""
    databases = request.getfixturevalue(f"{request.param}_databases")
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture
def sessions(database_url: str) -> Iterator[SessionFactory]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def core(sessions: SessionFactory) -> Core:
    return Core(
        build_registry(),
        sessions,
        coordinators=frozenset({COORDINATOR_ID}),
        clock=lambda: FIXED_NOW,
    )


@pytest.fixture
def partner() -> Identity:
    return Identity(
        platform="slack",
        user_id=PARTNER_ID,
        workspace_id="T0001",
        channel_id="CGENERAL",
        user_name="partner",
    )


@pytest.fixture
def coordinator() -> Identity:
    return Identity(
        platform="slack",
        user_id=COORDINATOR_ID,
        workspace_id="T0001",
        channel_id="CGENERAL",
        user_name="coordinator",
    )


@pytest.fixture
def mock_slack() -> Iterator[MockSlack]:
    mock = MockSlack()
    yield mock
    mock.close()


@pytest.fixture
def bot_settings(database_url: str, mock_slack: MockSlack) -> Settings:
    return Settings(
        database_url=database_url,
        host="127.0.0.1",
        port=0,
        coordinators=frozenset({COORDINATOR_ID}),
        slack_api_url=mock_slack.api_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
    )


@pytest.fixture
def slack_bot(bot_settings: Settings) -> Iterator[RunningBot]:
    """The real web process, with Slack's Web API pointed at the local mock."""
    running = start_bot(bot_settings)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _quiet_libraries() -> None:
    logging.getLogger("alembic").setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def _work_in_place() -> None:
    """Heavy work in place, as a command-line process does it. A test that starts a web process
    in this one has it turn the worker pool on at its start, as the real one does, and find the
    pool an earlier test of this worker started still warm. Left on, that pool took a later
    test's direct import (``main(["import", …])``) to a paced worker of the idle class."""
    offload.use_processes(0)


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """A command line run in-process sets the bot's logging up (``bot.runtime.start``): its
    handler writes to the test's captured stderr, closed once the test ends, and later tests'
    bots logged through it ("Logging error … I/O operation on closed file"). Undone here."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook, threading.excepthook)
    yield
    root.handlers[:], _, sys.excepthook, threading.excepthook = saved
    root.setLevel(saved[1])


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controlling process, before workers start
        _compile_the_sources_once()
    # The bot's processes are forked from one that imported it once (tests.support.fork_server):
    # a start costs a fraction of the CPU of a fresh interpreter's.
    from tests.support import processes

    processes.FORKED_STARTS = True


# Middle-generation collections between two full ones (Python's own is 10).
FULL_COLLECTION_EVERY = 100
# pytest compiles these itself, with their assertions rewritten, into files of its own.
REWRITTEN_BY_PYTEST = re.compile(r"[/\\](test_[^/\\]*|conftest)\.py$")


def _compile_the_sources_once() -> None:
    """Compile the bot and the tests' support once: in a new checkout every worker compiled
    each module itself, all at the same moment (in a used one this only looks at the files)."""
    import compileall

    root = Path(__file__).parents[1]
    for folder in ("bot", "commands", "storage", "tests"):
        compileall.compile_dir(root / folder, quiet=1, rx=REWRITTEN_BY_PYTEST)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What collection made (the modules, the bot's and the tests', and every test item) lives
    # to the end of the run: frozen, it is left out of each full collection, which otherwise
    # walked those hundreds of thousands of objects again (~14 % of a worker's CPU went to
    # the collector).
    settle_heap()
    # What the tests leave behind still grows a worker to 400,000-800,000 objects by the end,
    # and each of its 19-27 full collections walked them all again (0.25 s each, 3.5-8 s of a
    # worker's CPU). With 7-10, a worker ends at the same 400-460 MB. (Freezing the survivors
    # of a long collection, as the web process does, saved as much but hid live objects from
    # gc.get_referrers, which Hypothesis's check of its own random generator reads.)
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
