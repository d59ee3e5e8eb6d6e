"""The weekly pilot digest as a scheduled job.

Groups live in different zones, so "Monday 09:00" is a different instant for each; the job
wakes every 15 minutes (which meets 09:00 in every zone, half- and quarter-hour offsets
included) and ``send_due_digests`` sends what is due, once per group and week across all
processes.
"""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

from bot.runtime import Runtime
from bot.scheduler import Job
from bot.slack.identity import PLATFORM as SLACK
from commands.pilots.digest import Sender, send_due_digests

JOB_ID = "weekly-pilot-digest"


def digest_trigger() -> CronTrigger:
    return CronTrigger(minute="*/15", timezone="UTC")


def weekly_digest_job(runtime: Runtime) -> Job | None:
    """The job, or None when no platform that can post is configured."""
    senders: dict[str, Sender] = {}
    if runtime.settings.slack_enabled:
        from bot.slack.proactive import channel_sender

        senders[SLACK] = channel_sender(runtime.settings)
    if not senders:
        return None

    def run() -> None:
        core = runtime.core
        send_due_digests(core.sessions, now=core.clock(), senders=senders)

    # A tick may start up to 10 minutes late and still run; the catch-up window does the rest.
    return Job(id=JOB_ID, trigger=digest_trigger(), run=run, grace_seconds=600)
