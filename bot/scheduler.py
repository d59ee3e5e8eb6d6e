"""The in-memory APScheduler of the web process: a few fixed jobs, never pickled job rows.

Work that must survive restarts lives in database rows (reminders, digests sent); the jobs
here only wake up the code that reads those rows. Each job has a fixed id, runs one at a time,
and a late run is coalesced into one instead of being dropped or repeated.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from storage.db import database_unreachable, outage_reason

if TYPE_CHECKING:
    # APScheduler is imported where a scheduler is built: the console runs its jobs by hand
    # (bot.jobs.IntervalJobs) and uses only OutageWatch from here.
    from apscheduler.events import JobExecutionEvent
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.base import BaseTrigger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    trigger: BaseTrigger
    run: Callable[[], object]  # a plain function (run in a worker thread) or a coroutine function
    # How late a run may start and still run; later ones are skipped (and logged).
    grace_seconds: int = 300
    # Run once right at start as well (catching up on what fell due while the process was down).
    start_now: bool = False


class OutageWatch:
    """Says once that the database went away and once that it is back, however many runs
    fail in between: a job that runs every second must not log a traceback every second.

    Used as ``with watch: run()``: an outage is noted and swallowed, anything else raised.
    """

    def __init__(self, what: str):
        self.what = what
        self.away = False

    def __enter__(self) -> OutageWatch:
        return self

    def __exit__(self, kind: object, error: BaseException | None, _traceback: object) -> bool:
        if error is None:
            if self.away:
                self.away = False
                log.warning("%s: the database is reachable again", self.what)
            return False
        if not isinstance(error, Exception) or not database_unreachable(error):
            return False
        if not self.away:
            self.away = True
            log.warning(
                "%s: the database is unavailable (%s); trying again at every run",
                self.what,
                outage_reason(error),
            )
        return True


def watched(job: Job) -> Callable[[], object]:
    """The job's function, with database outages noticed instead of raised (the job keeps
    its schedule); any other error still reaches the scheduler's error log."""
    watch = OutageWatch(f"scheduled job {job.id}")
    if inspect.iscoroutinefunction(job.run):

        async def run_coroutine() -> object:
            with watch:
                return await job.run()  # type: ignore[misc]
            return None

        return run_coroutine

    async def run_in_thread() -> object:
        # A task on the event loop (not a bare executor future), so that a stopping process
        # can wait for the run in progress (bot.shutdown).
        with watch:
            return await asyncio.to_thread(job.run)
        return None

    return run_in_thread


def _log_event(event: JobExecutionEvent) -> None:
    from apscheduler.events import EVENT_JOB_MISSED

    if event.code == EVENT_JOB_MISSED:
        log.warning("scheduled job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    elif event.exception is not None:
        log.error("scheduled job %s failed", event.job_id, exc_info=event.exception)


def build_scheduler(jobs: list[Job]) -> AsyncIOScheduler:
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    ids = [job.id for job in jobs]
    if len(ids) != len(set(ids)):
        raise ValueError(f"scheduled job ids must be unique: {sorted(ids)}")
    scheduler = AsyncIOScheduler(timezone="UTC")
    for job in jobs:
        scheduler.add_job(
            watched(job),
            trigger=job.trigger,
            id=job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.grace_seconds,
            **({"next_run_time": datetime.now(UTC)} if job.start_now else {}),
        )
    scheduler.add_listener(_log_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler
