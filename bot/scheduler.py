"""The in-memory APScheduler of the web process: a few fixed jobs, never pickled job rows.

Work that must survive restarts lives in database rows (reminders, digests sent); the jobs
here only wake up the code that reads those rows. Each job has a fixed id, runs one at a time,
and a late run is coalesced into one instead of being dropped or repeated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
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


def _log_event(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("scheduled job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    elif event.exception is not None:
        log.error("scheduled job %s failed", event.job_id, exc_info=event.exception)


def build_scheduler(jobs: list[Job]) -> AsyncIOScheduler:
    ids = [job.id for job in jobs]
    if len(ids) != len(set(ids)):
        raise ValueError(f"scheduled job ids must be unique: {sorted(ids)}")
    scheduler = AsyncIOScheduler(timezone="UTC")
    for job in jobs:
        scheduler.add_job(
            job.run,
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
