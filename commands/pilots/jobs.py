"""The weekly pilot digest on a timer.

Groups live in different zones, so "Monday 09:00" is a different instant for each; the job
wakes every 15 minutes (which meets 09:00 in every zone, half- and quarter-hour offsets
included) and ``send_due_digests`` sends what is due, once per group and week across all
processes. It posts through the reminders' ports, so a digest carries its run in Slack's
message metadata and a claim left by a dead process is taken over like a reminder's.
"""

from __future__ import annotations

from commands.jobs import Cron, Job, JobContext
from commands.pilots.digest import DigestResult, send_due_digests

DIGEST_JOB = "weekly-pilot-digest"


def send_digests(ctx: JobContext) -> list[DigestResult]:
    return send_due_digests(
        ctx.sessions, now=ctx.now, senders=ctx.senders, claimer=ctx.claimer, lease=ctx.lease
    )


# A tick may start up to 10 minutes late and still run; the catch-up window does the rest.
DIGEST = Job(DIGEST_JOB, Cron(minute="*/15"), send_digests, grace_seconds=600)
