"""The weekly pilot digest as a scheduled job.

Groups live in different zones, so "Monday 09:00" is a different instant for each; the job
wakes every 15 minutes (which meets 09:00 in every zone, half- and quarter-hour offsets
included) and ``send_due_digests`` sends what is due, once per group and week across all
processes. It posts through the reminders' ports, so a digest carries its run in Slack's
message metadata and a claim left by a dead process is taken over like a reminder's.
"""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

from bot import metrics
from bot.reminders import claim_lease, process_senders
from bot.runtime import Runtime
from bot.scheduler import Job
from commands.pilots.digest import send_due_digests
from commands.reminders.port import Sender

JOB_ID = "weekly-pilot-digest"


def digest_trigger() -> CronTrigger:
    return CronTrigger(minute="*/15", timezone="UTC")


def weekly_digest_job(runtime: Runtime, *, teams: Sender | None = None) -> Job | None:
    """The job, or None when no platform that can post is configured.

    ``teams`` is the web process's Teams port (the one reminders use), when Teams is on.
    """
    senders = process_senders(runtime, teams=teams)
    if not senders:
        return None
    lease = claim_lease(runtime)

    def run() -> None:
        core = runtime.core
        if runtime.stopping.is_set():
            return
        results = send_due_digests(core.sessions, now=core.clock(), senders=senders, lease=lease)
        metrics.count_digests(results)

    # A tick may start up to 10 minutes late and still run; the catch-up window does the rest.
    return Job(id=JOB_ID, trigger=digest_trigger(), run=run, grace_seconds=600)
