"""One tick of the weekly digest job as a process of its own, at a time given on the command
line: ``python -m tests.support.digest_tick 2026-11-30T08:00:00+00:00``.

The job runs every 15 minutes on the wall clock and a digest is due only on Monday mornings,
so a test cannot wait for ``chemclust-bot run`` to post one; this runs the same job (settings
from the environment, migrated database, Slack port) with the clock set, and can be killed.
"""

from __future__ import annotations

import sys
from datetime import datetime

from bot.jobs import scheduled_job, standalone_senders
from bot.runtime import Runtime, start
from bot.scheduler import Job
from commands.pilots.jobs import DIGEST_JOB
from commands.port import Sender


def weekly_digest_job(runtime: Runtime, *, teams: Sender | None = None) -> Job | None:
    """The registered digest job as this process would schedule it; ``teams``: the port of a
    web process with Teams on."""
    senders = standalone_senders(runtime) | ({"teams": teams} if teams else {})
    return scheduled_job(runtime, DIGEST_JOB, senders=senders)


def main() -> None:
    now = datetime.fromisoformat(sys.argv[1])
    runtime = start()
    runtime.core.clock = lambda: now
    job = weekly_digest_job(runtime)
    if job is None:
        raise SystemExit("no platform to post the digest to: set SLACK_BOT_TOKEN")
    job.run()
    runtime.engine.dispose()


if __name__ == "__main__":
    main()
