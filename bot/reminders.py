"""Wiring the reminder dispatcher into a process: the senders it can reach, its timer."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot import metrics
from bot.runtime import Runtime
from bot.scheduler import Job
from bot.teams.identity import PLATFORM as TEAMS
from commands.reminders.dispatch import Dispatcher
from commands.reminders.port import Sender

DISPATCH_JOB_ID = "dispatch-reminders"


def late_after(dispatch_seconds: int) -> timedelta:
    """Later than two dispatch rounds (and a little) is late: the bot was down or failing."""
    return timedelta(seconds=2 * dispatch_seconds + 5)


def process_senders(runtime: Runtime, *, teams: Sender | None = None) -> dict[str, Sender]:
    """The platforms this process sends to; rows of other platforms are left to others.

    ``teams`` is the web process's Teams port (bot.teams.sender), built by the server once
    Teams is on, because it needs the event loop the Teams adapter runs on.
    """
    senders: dict[str, Sender] = {}
    if runtime.settings.slack_enabled:
        from bot.slack.sender import PLATFORM, slack_sender

        senders[PLATFORM] = slack_sender(runtime.settings)
    if teams is not None:
        senders[TEAMS] = teams
    return senders


def claim_lease(runtime: Runtime) -> timedelta:
    """How long a claim on a reminder or a digest holds (CHEMCLUST_CLAIM_LEASE_SECONDS)."""
    return timedelta(seconds=runtime.settings.claim_lease_seconds)


def build_dispatcher(runtime: Runtime, senders: dict[str, Sender]) -> Dispatcher:
    return Dispatcher(
        runtime.core.sessions,
        senders,
        clock=runtime.core.clock,
        lease=claim_lease(runtime),
        late_after=late_after(runtime.settings.dispatch_seconds),
        stopping=runtime.stopping.is_set,
    )


def dispatch_job(runtime: Runtime, *, teams: Sender | None = None) -> Job | None:
    senders = process_senders(runtime, teams=teams)
    if not senders:
        return None
    dispatcher = build_dispatcher(runtime, senders)
    seconds = runtime.settings.dispatch_seconds
    return Job(
        id=DISPATCH_JOB_ID,
        trigger=IntervalTrigger(seconds=seconds),
        run=metrics.counting_reminders(dispatcher.run_once),
        grace_seconds=seconds,
        start_now=True,
    )
