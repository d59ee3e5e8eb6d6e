"""Prometheus metrics: what the bot counts, and the text /metrics serves.

Labels are the bot's own vocabulary only (command names from the registry, outcomes,
platforms): never a person's name, id or text, so the metrics can be shown to anyone who runs
the servers. The counters live for the process; the gauges about reminders and the
connection pool are read from the database and the engine when /metrics is asked.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy import event

from storage.db import database_unreachable
from storage.operations import due_backlog

if TYPE_CHECKING:
    from bot.runtime import Runtime

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

COMMANDS = Counter(
    "chemclust_commands",
    "Commands run, by name and outcome (ok, refused, unavailable, error, duplicate).",
    ["command", "outcome"],
    registry=REGISTRY,
)
COMMAND_SECONDS = Histogram(
    "chemclust_command_seconds",
    "How long commands took to run, by name.",
    ["command"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30),
    registry=REGISTRY,
)
ACKS_DEFERRED = Counter(
    "chemclust_acks_deferred",
    "Commands not answered within the 2-second acknowledgement budget (acknowledged with "
    "'Working on it…' and answered by a follow-up).",
    ["platform"],
    registry=REGISTRY,
)
RETRIES_RECEIVED = Counter(
    "chemclust_platform_retries",
    "Deliveries the platform marked as retries (Slack's X-Slack-Retry-Num); each is done once.",
    ["platform"],
    registry=REGISTRY,
)
REMINDERS = Counter(
    "chemclust_reminders",
    "Reminder rows handled by this process's dispatcher: sent, late (sent after their time), "
    "skipped, retried (put back after a passing failure), failed (for good).",
    ["result"],
    registry=REGISTRY,
)
REMINDERS_PENDING = Gauge(
    "chemclust_reminders_pending",
    "Reminders due now and not yet sent (all processes), read at each scrape.",
    registry=REGISTRY,
)
OLDEST_DUE = Gauge(
    "chemclust_reminder_oldest_due_seconds",
    "Age of the oldest reminder that is due and not yet sent (0 when none is waiting).",
    registry=REGISTRY,
)
DIGESTS = Counter(
    "chemclust_digests",
    "Weekly digests this process handled, by result (sent, failed).",
    ["result"],
    registry=REGISTRY,
)
DATABASE_ERRORS = Counter(
    "chemclust_database_errors",
    "Database statements that failed, by kind (unreachable: the database was away).",
    ["kind"],
    registry=REGISTRY,
)
POOL_IN_USE = Gauge(
    "chemclust_database_connections_in_use",
    "Connections of this process's pool checked out at the moment of the scrape.",
    registry=REGISTRY,
)
# Libraries that cost tens of megabytes once a process imports them: the web process leaves
# them to its worker processes (commands.offload), and this says whether it managed to.
HEAVY_LIBRARIES = ("pandas", "numpy", "matplotlib", "openpyxl")
LIBRARIES_LOADED = Gauge(
    "chemclust_library_loaded",
    "1 when this process has imported the library (pandas and numpy alone add some 45 MB of "
    "resident memory); scoring, charts and workbooks import them in worker processes.",
    ["library"],
    registry=REGISTRY,
)


def record_command(name: str, outcome: str, seconds: float) -> None:
    COMMANDS.labels(command=name, outcome=outcome).inc()
    COMMAND_SECONDS.labels(command=name).observe(seconds)


def count_retry(platform: str, retry_number: str | None) -> None:
    """A delivery the platform says it sends again (``retry_number`` set)."""
    if retry_number:
        RETRIES_RECEIVED.labels(platform=platform).inc()


def watch(runtime: Runtime) -> None:
    """Count this process's commands and database errors (Core and engine hooks)."""
    runtime.core.on_command = record_command
    if not getattr(runtime.engine, "_chemclust_metrics", False):
        event.listen(runtime.engine, "handle_error", _count_database_error)
        runtime.engine._chemclust_metrics = True  # type: ignore[attr-defined]


def _count_database_error(context: Any) -> None:
    error = context.sqlalchemy_exception or context.original_exception
    kind = "unreachable" if database_unreachable(error) else "statement"
    DATABASE_ERRORS.labels(kind=kind).inc()


def count_job_result(result: Any) -> None:
    """What a scheduled job reports, counted by its shape (bot knows no feature): the reminder
    dispatcher's report (sent, late, skipped, retried, failed), the digest's list of sends."""
    if hasattr(result, "handled"):
        for outcome in ("sent", "late", "skipped", "retried", "failed"):
            count = getattr(result, outcome, 0)
            if count:
                REMINDERS.labels(result=outcome).inc(count)
    elif isinstance(result, list):
        for send in result:
            if hasattr(send, "sent"):
                DIGESTS.labels(result="sent" if send.sent else "failed").inc()


def exposition(runtime: Runtime) -> tuple[bytes, str]:
    """The metrics as Prometheus' text format (blocking: reads the database)."""
    try:
        with runtime.core.sessions() as session:
            pending, oldest = due_backlog(session=session, now=runtime.core.clock())
    except Exception as error:
        # The counters still answer while the database is away (its errors are one of them).
        if not database_unreachable(error):
            raise
    else:
        REMINDERS_PENDING.set(pending)
        OLDEST_DUE.set(max(oldest, timedelta(0)).total_seconds() if oldest is not None else 0)
    checked_out = getattr(runtime.engine.pool, "checkedout", None)
    POOL_IN_USE.set(checked_out() if callable(checked_out) else 0)
    for library in HEAVY_LIBRARIES:
        LIBRARIES_LOADED.labels(library=library).set(library in sys.modules)
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
