"""The fixed scheduled jobs of the web process; each feature adds its job here."""

from __future__ import annotations

from bot.digest_job import weekly_digest_job
from bot.reminders import dispatch_job
from bot.runtime import Runtime
from bot.scheduler import Job
from commands.reminders.port import Sender


def scheduled_jobs(runtime: Runtime, *, teams: Sender | None = None) -> list[Job]:
    """The jobs this process runs. Features that work on a timer contribute one entry each.

    ``teams``: the Teams port (reminders, digests) when Teams is on in this process.
    """
    jobs: list[Job] = []
    # Reminders: every CHEMCLUST_DISPATCH_SECONDS, and once at start for what fell due meanwhile.
    if (job := dispatch_job(runtime, teams=teams)) is not None:
        jobs.append(job)
    if (digest := weekly_digest_job(runtime, teams=teams)) is not None:
        jobs.append(digest)
    return jobs
