"""Measures of whole processes: the reminder dispatcher's throughput, the console's cold start."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from storage.db import make_engine
from storage.models import Event, Reminder
from tests.benchmarks.apps import REPOSITORY, bot_process, floor_environment
from tests.benchmarks.report import Figure, Target
from tests.benchmarks.seeding import add_due_reminders
from tests.support.mock_slack import MockSlack
from tests.support.processes import environment, executable

DISPATCH_TARGET = Target("≥ 500/s", 500, at_least=True)
COLD_START_TARGET = Target("median ≤ 1.0 s", 1.0)
DUE_CHANNEL_PREFIX = "CDUE"
ABOUT_DISPATCH = (
    "{count} reminders due at once in {count} channels, sent by one `chemclust-bot run` "
    "(dispatcher every second) to the local mock Web API, which answers at once; rate from the "
    "first to the last message the mock received. Floor: 8 threads posting as many messages "
    "with slack_sdk's WebClient to the same mock, no database (what the mock can take)"
)
ABOUT_COLD = (
    "`printf '' | chemclust-bot console` on its SQLite file (created by a first, uncounted "
    "run), wall time to exit, median of {runs}. Floor: a process that imports slack_bolt and "
    "aiohttp, builds the bare app and exits"
)


def measure_dispatcher(
    *, database_url: str, mock: MockSlack, count: int, log_path: Path
) -> list[Figure]:
    engine = make_engine(database_url)
    add_due_reminders(engine, count, now=datetime.now(UTC))
    before = len(mock.of("chat.postMessage"))
    bot = bot_process(database_url=database_url, mock=mock, log_path=log_path, dispatch_seconds=1)
    bot.start()
    timeout = max(120.0, count / 10)  # below 10 a second is a result in itself
    try:
        deadline = time.monotonic() + timeout
        # Counting is cheap; the mock shares this process, so the poll must not slow it down.
        while len(mock.of("chat.postMessage")) - before < count and time.monotonic() < deadline:
            time.sleep(1)
    finally:
        bot.stop()
    posts = _due_posts(mock)
    with engine.connect() as connection:
        sent = connection.scalar(
            select(func.count())
            .select_from(Reminder)
            .join(Event, Event.id == Reminder.event_id)
            .where(Event.title.like("Sample workshop: dispatcher run %"), Reminder.status == "sent")
        )
    engine.dispose()
    rate = float("nan")
    if len(posts) > 1:
        rate = (len(posts) - 1) / (posts[-1].received_at - posts[0].received_at)
    detail = f"{sent} of {count} recorded sent"
    if len(posts) < count:
        detail += f"; only {len(posts)} posted within {timeout:.0f} s"
    return [
        Figure(
            "dispatcher",
            f"reminders per second, {count} due in distinct channels",
            "reminders/s",
            (rate,),
            (_floor_post_rate(mock, count),),
            target=DISPATCH_TARGET,
            detail=detail,
            n=len(posts),
            about=ABOUT_DISPATCH.format(count=count),
        )
    ]


def _due_posts(mock: MockSlack) -> list:
    return [
        call
        for call in mock.of("chat.postMessage")
        if str(call.data.get("channel", "")).startswith(DUE_CHANNEL_PREFIX)
    ]


def _floor_post_rate(mock: MockSlack, count: int) -> float:
    env = floor_environment(mock)
    finished = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.floor", "--post", str(count)],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        check=True,
        timeout=600,
    )
    return float(json.loads(finished.stdout)["per_second"])


def measure_cold_start(*, runs: int, folder: Path) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    console = ([executable(), "console"], folder, environment())
    floor = (
        [sys.executable, "-m", "tests.benchmarks.floor", "--start-only"],
        REPOSITORY,
        floor_environment(),
    )
    _timed(*console)  # creates, migrates and seeds the console's database: not a cold start
    bot_times, floor_times = [], []
    for _ in range(runs):
        floor_times.append(_timed(*floor))
        bot_times.append(_timed(*console))
    return [
        Figure(
            "start",
            "console cold start, median",
            "s",
            (statistics.median(bot_times),),
            (statistics.median(floor_times),),
            target=COLD_START_TARGET,
            detail=f"fastest {min(bot_times):.2f} s, slowest {max(bot_times):.2f} s",
            n=runs,
            about=ABOUT_COLD.format(runs=runs),
        )
    ]


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, env=env, input=b"", capture_output=True, check=True)
    return time.monotonic() - started
