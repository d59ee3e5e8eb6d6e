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
from bot.teams.identity import PLATFORM as TEAMS
from commands.pilots.digest import Sender, send_due_digests
from commands.reminders.port import Sender as ReminderSender
from commands.reminders.port import Sent, Target
from commands.reply import Reply

JOB_ID = "weekly-pilot-digest"


def digest_trigger() -> CronTrigger:
    return CronTrigger(minute="*/15", timezone="UTC")


def teams_channel_sender(teams: ReminderSender) -> Sender:
    """The Teams reminder port as a digest sender: post to a conversation, raise on failure."""

    def send(conversation_id: str, reply: Reply) -> None:
        outcome = teams(Target(TEAMS, {"channel": conversation_id}), reply)
        if not isinstance(outcome, Sent):
            raise DigestNotSent(outcome.reason)

    return send


class DigestNotSent(RuntimeError):
    """Teams did not take the digest; the job records the failure and retries later."""


def weekly_digest_job(runtime: Runtime, *, teams: ReminderSender | None = None) -> Job | None:
    """The job, or None when no platform that can post is configured.

    ``teams`` is the web process's Teams port (the one reminders use), when Teams is on.
    """
    senders: dict[str, Sender] = {}
    if runtime.settings.slack_enabled:
        from bot.slack.proactive import channel_sender

        senders[SLACK] = channel_sender(runtime.settings)
    if teams is not None:
        senders[TEAMS] = teams_channel_sender(teams)
    if not senders:
        return None

    def run() -> None:
        core = runtime.core
        send_due_digests(core.sessions, now=core.clock(), senders=senders)

    # A tick may start up to 10 minutes late and still run; the catch-up window does the rest.
    return Job(id=JOB_ID, trigger=digest_trigger(), run=run, grace_seconds=600)
