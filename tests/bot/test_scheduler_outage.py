"""The timed jobs while the database is away: one warning when it goes and one when it is
back, per job, and the jobs keep their schedule (bot.scheduler's job wrapper)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from dataclasses import replace

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import scheduled_jobs
from bot.runtime import build_runtime
from bot.scheduler import Job, build_scheduler
from bot.settings import Settings
from storage.db import make_engine, ping
from tests.support.outages import outage_for
from tests.support.processes import free_port
from tests.support.slack_requests import BOT_TOKEN

TICK = 0.05  # seconds between runs: the jobs' real functions, run often


class Runs:
    """Counts the runs of each job, so the test can wait for some without sleeping blind."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.running = 0
        self._changed = threading.Condition()

    def counting(self, job: Job) -> Job:
        def run() -> object:
            with self._changed:
                self.running += 1
            try:
                return job.run()
            finally:
                with self._changed:
                    self.running -= 1
                    self.counts[job.id] += 1
                    self._changed.notify_all()

        return replace(job, run=run, trigger=IntervalTrigger(seconds=TICK), start_now=False)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until no run is in progress (the scheduler paused: none starts)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.running == 0, timeout):
                raise AssertionError("a job run did not end")

    def wait_for_more(self, job_ids: set[str], runs: int = 3, timeout: float = 30.0) -> None:
        """Until each job has run ``runs`` more times."""
        with self._changed:
            target = {job: self.counts[job] + runs for job in job_ids}
            deadline = time.monotonic() + timeout
            while any(self.counts[job] < count for job, count in target.items()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"jobs did not run: {self.counts}")
                self._changed.wait(remaining)


def loud(records: list[logging.LogRecord]) -> list[str]:
    """Errors and tracebacks, leaving out APScheduler's note of a run cancelled by the test's
    shutdown(wait=False) (a race with the next tick, not the outage)."""
    return [
        f"{r.name}: {r.getMessage()}"
        for r in records
        if (r.levelno >= logging.ERROR or r.exc_info)
        and not (r.exc_info and isinstance(r.exc_info[1], asyncio.CancelledError))
    ]


def test_each_job_says_once_that_the_database_went_and_once_that_it_is_back(
    database_url, mock_slack, caplog
):
    outage = outage_for(database_url)
    settings = Settings(
        database_url=outage.url,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=mock_slack.api_url,
        dispatch_seconds=1,
    )
    runtime = build_runtime(settings)
    runs = Runs()
    jobs = [runs.counting(job) for job in scheduled_jobs(runtime)]
    ids = {job.id for job in jobs}
    assert ids == {"dispatch-reminders", "weekly-pilot-digest"}

    async def scenario() -> None:
        scheduler = build_scheduler(jobs)
        scheduler.start()
        try:
            await asyncio.to_thread(runs.wait_for_more, ids)
            outage.cut()
            await asyncio.to_thread(runs.wait_for_more, ids)  # several failing runs of each
            outage.restore()
            await asyncio.to_thread(runs.wait_for_more, ids)
            # No run is cut short by the shutdown (a busy machine may be in one): a cancelled
            # run is logged as failed, which is the test's doing, not the outage's.
            scheduler.pause()
            await asyncio.to_thread(runs.wait_idle)
            await asyncio.sleep(TICK)  # the runs' tasks end just after their threads
        finally:
            scheduler.shutdown(wait=False)
            outage.restore()

    try:
        with caplog.at_level(logging.INFO, logger="bot.scheduler"):
            asyncio.run(scenario())
    finally:
        outage.close()
        runtime.engine.dispose()

    assert loud(caplog.records) == []
    said = [r for r in caplog.records if r.name == "bot.scheduler"]
    assert {r.levelno for r in said} == {logging.WARNING}
    went = Counter(r.getMessage().split(":")[0] for r in said if "unavailable" in r.getMessage())
    back = Counter(
        r.getMessage().split(":")[0] for r in said if "reachable again" in r.getMessage()
    )
    # Reminders claim rows (a write) and fail on both databases; the digest only reads
    # until something is due, which SQLite's outage (a held write lock) allows.
    failing = ["scheduled job dispatch-reminders"]
    if outage.reads_fail:
        failing.append("scheduled job weekly-pilot-digest")
    assert went == Counter(failing)
    assert back == Counter(failing)


def test_a_coroutine_job_is_watched_the_same_way(caplog):
    # A database nobody listens at: a real connection failure, from inside a coroutine job.
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere")
    runs: list[bool] = []

    async def check() -> None:
        runs.append(True)
        with engine.connect():
            pass

    async def scenario() -> None:
        scheduler = build_scheduler([Job("check", IntervalTrigger(seconds=TICK), check)])
        scheduler.start()
        while len(runs) < 4:
            await asyncio.sleep(TICK)
        scheduler.shutdown(wait=False)

    with caplog.at_level(logging.INFO, logger="bot.scheduler"):
        asyncio.run(asyncio.wait_for(scenario(), 30))
    engine.dispose()
    assert not ping(engine)
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"]
    assert len(messages) == 1, messages
    assert messages[0].startswith("scheduled job check: the database is unavailable")
    assert loud(caplog.records) == []
