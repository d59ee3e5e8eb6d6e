"""The registered jobs in a process: on the web process's scheduler, or run by the console.

Jobs come from the registry (``commands.jobs``); this module turns their triggers into
APScheduler's and gives each the process's ``JobContext``: the senders of the platforms the
process reaches, the claim lease, the dispatch interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.runtime import Runtime
from bot.scheduler import Job as ScheduledJob
from commands.jobs import Every, Job, JobContext
from commands.port import Sender

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

CRON_GRACE_SECONDS = 300


def standalone_senders(runtime: Runtime) -> dict[str, Sender]:
    """The platforms a process can post to without serving them (a job run by hand)."""
    senders = {}
    for platform in runtime.platforms:
        sender = platform.standalone_sender(runtime.settings)
        if sender is not None:
            senders[platform.name] = sender
    return senders


def job_context(runtime: Runtime, senders: Mapping[str, Sender]) -> JobContext:
    core = runtime.core
    return JobContext(
        sessions=core.sessions,
        clock=lambda: core.clock(),  # read at each run: tests and ticks set the clock later
        senders=dict(senders),
        lease=timedelta(seconds=runtime.settings.claim_lease_seconds),
        interval=timedelta(seconds=runtime.settings.dispatch_seconds),
        stopping=runtime.stopping.is_set,
    )


def scheduled_jobs(
    runtime: Runtime, *, senders: Mapping[str, Sender] | None = None
) -> list[ScheduledJob]:
    """The registered jobs, for the scheduler. ``senders``: the platforms this process posts
    to (default: those reachable without serving); jobs that post are left out without any."""
    if senders is None:
        senders = standalone_senders(runtime)
    context = job_context(runtime, senders)
    return [
        _scheduled(job, context)
        for job in runtime.core.registry.jobs.values()
        if senders or not job.posts
    ]


def scheduled_job(
    runtime: Runtime, name: str, *, senders: Mapping[str, Sender] | None = None
) -> ScheduledJob | None:
    """One registered job by name, or None when this process would not run it."""
    return next((job for job in scheduled_jobs(runtime, senders=senders) if job.id == name), None)


def _scheduled(job: Job, context: JobContext) -> ScheduledJob:
    # Imported here: the console runs its jobs by hand (IntervalJobs) and needs no APScheduler.
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    trigger: BaseTrigger
    if isinstance(job.trigger, Every):
        # The process's interval may be a fraction of a second (the tests' in-process bots).
        seconds = job.trigger.seconds or context.interval.total_seconds()
        trigger = IntervalTrigger(seconds=seconds)
        grace, start_now = math.ceil(seconds), job.trigger.at_start  # whole seconds, ≥ 1
    else:
        given = {name: value for name, value in asdict(job.trigger).items() if value is not None}
        trigger = CronTrigger(**given, timezone="UTC")
        grace, start_now = CRON_GRACE_SECONDS, False
    return ScheduledJob(
        id=job.name,
        trigger=trigger,
        run=_bound(job, context),
        grace_seconds=job.grace_seconds or grace,
        start_now=start_now,
    )


def _bound(job: Job, context: JobContext) -> Callable[[], object]:
    def run() -> object:
        if context.stopping():
            return None  # a stopping process starts no new run
        result = job.run(context)
        # Imported here: scheduled runs happen in the web process only; the command line and
        # the console (which import this module) need not load prometheus-client.
        from bot import metrics

        metrics.count_job_result(result)
        return result

    return run


class IntervalJobs:
    """The registered ``Every`` jobs, run on demand (the console's check before each answer).

    A job with the process's interval (``Every()``, the dispatcher) runs at every check; one
    with its own ``seconds`` only once they have passed since its last run, by the core's clock.
    """

    def __init__(self, runtime: Runtime, senders: Mapping[str, Sender]):
        self.context = job_context(runtime, senders)
        self.jobs = [
            job for job in runtime.core.registry.jobs.values() if isinstance(job.trigger, Every)
        ]
        started = self.context.now
        self._due: dict[str, datetime | None] = {
            job.name: _first_run(job.trigger, started) for job in self.jobs
        }

    def run_once(self) -> None:
        now = self.context.now
        for job in self.jobs:
            due = self._due[job.name]
            if due is not None and now < due:
                continue
            if job.trigger.seconds is not None:
                self._due[job.name] = now + timedelta(seconds=job.trigger.seconds)
            job.run(self.context)


def _first_run(trigger: Every, started: datetime) -> datetime | None:
    """None: at the first check."""
    if trigger.seconds is None or trigger.at_start:
        return None
    return started + timedelta(seconds=trigger.seconds)
