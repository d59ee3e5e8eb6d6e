"""Work the bot does on a timer, registered by the features that need it.

A feature registers a ``Job``: a name, a trigger (``Every`` so many seconds, or ``Cron``
fields read in UTC) and a function of a ``JobContext``. The web process schedules every
registered job; the console runs the ``Every`` jobs between answers. Jobs hold no state
between runs: what must survive a restart is a database row, and the job only wakes the code
that reads those rows.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commands.port import Sender
from storage.db import SessionFactory


def process_id() -> str:
    """Who holds a claim: this host and process (and a nonce, as process ids are reused).

    Host names may be long (a Kubernetes pod's); the whole must fit the 64 characters of
    ``claimed_by``, or PostgreSQL refuses every claim.
    """
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Every:
    """Every ``seconds``; None: the process's interval (``CHEMCLUST_DISPATCH_SECONDS``)."""

    seconds: int | None = None
    # Run once at start as well (catching up on what fell due while no process ran).
    at_start: bool = False


@dataclass(frozen=True)
class Cron:
    """Cron fields in UTC (APScheduler's syntax: ``"*/15"``, ``"mon"``); None is any."""

    minute: str | None = None
    hour: str | None = None
    day_of_week: str | None = None


@dataclass(frozen=True)
class JobContext:
    """What a job gets, built once per process."""

    sessions: SessionFactory
    clock: Callable[[], datetime]
    # The platforms this process posts to, by name; rows for others are left to others.
    senders: Mapping[str, Sender]
    lease: timedelta  # how long a claim on a row holds (CHEMCLUST_CLAIM_LEASE_SECONDS)
    interval: timedelta  # how often the process runs ``Every()`` jobs
    claimer: str = field(default_factory=process_id)
    # True once the process is stopping: a job finishes what it holds and takes nothing new.
    stopping: Callable[[], bool] = lambda: False

    @property
    def now(self) -> datetime:
        return self.clock()


@dataclass(frozen=True)
class Job:
    name: str  # unique; the scheduler's job id
    trigger: Every | Cron
    run: Callable[[JobContext], object]
    # A job that posts is not run by a process that reaches no platform.
    posts: bool = True
    # How late a run may start and still run; None: the interval of an ``Every`` job, else 5 min.
    grace_seconds: int | None = None


def late_after(interval: timedelta) -> timedelta:
    """Later than two dispatch rounds (and a little) is late: the bot was down or failing."""
    return 2 * interval + timedelta(seconds=5)
