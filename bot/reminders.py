"""Wiring the reminder dispatcher into a process: the senders it can reach, its timer."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot.runtime import Runtime
from bot.scheduler import Job
from commands.reminders.dispatch import Dispatcher
from commands.reminders.port import Sender

DISPATCH_JOB_ID = "dispatch-reminders"


def late_after(dispatch_seconds: int) -> timedelta:
    """Later than two dispatch rounds (and a little) is late: the bot was down or failing."""
    return timedelta(seconds=2 * dispatch_seconds + 5)


def process_senders(runtime: Runtime) -> dict[str, Sender]:
    """The platforms this process sends to; rows of other platforms are left to others."""
    senders: dict[str, Sender] = {}
    if runtime.settings.slack_enabled:
        from bot.slack.sender import PLATFORM, slack_sender

        senders[PLATFORM] = slack_sender(runtime.settings)
    return senders


def build_dispatcher(runtime: Runtime, senders: dict[str, Sender]) -> Dispatcher:
    return Dispatcher(
        runtime.core.sessions,
        senders,
        clock=runtime.core.clock,
        late_after=late_after(runtime.settings.dispatch_seconds),
    )


def dispatch_job(runtime: Runtime) -> Job | None:
    senders = process_senders(runtime)
    if not senders:
        return None
    dispatcher = build_dispatcher(runtime, senders)
    seconds = runtime.settings.dispatch_seconds
    return Job(
        id=DISPATCH_JOB_ID,
        trigger=IntervalTrigger(seconds=seconds),
        run=dispatcher.run_once,
        grace_seconds=seconds,
        start_now=True,
    )
