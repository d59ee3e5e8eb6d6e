"""The reminder dispatcher on a timer: every ``CHEMCLUST_DISPATCH_SECONDS``, and once at start
for what fell due while no process ran."""

from __future__ import annotations

from commands.jobs import Every, Job, JobContext, late_after
from commands.reminders.dispatch import Dispatcher, DispatchReport

DISPATCH_JOB = "dispatch-reminders"


def dispatch_due(ctx: JobContext) -> DispatchReport:
    dispatcher = Dispatcher(
        ctx.sessions,
        ctx.senders,
        clock=ctx.clock,
        claimer=ctx.claimer,
        lease=ctx.lease,
        late_after=late_after(ctx.interval),
        stopping=ctx.stopping,
    )
    return dispatcher.run_once()


DISPATCH = Job(DISPATCH_JOB, Every(at_start=True), dispatch_due)
