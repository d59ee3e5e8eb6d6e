"""How fast the dispatcher claims and records reminders, and how long <when> takes to read.

Run: ``.venv/bin/python tests/benchmarks/bench_reminders.py [DATABASE_URL]`` (default: a
temporary SQLite file). Prints figures; asserts nothing. The sender does no network I/O, so
this measures the database side of sending: claim, decide, record.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commands.events.when import parse_when
from commands.port import Sent
from commands.reminders.dispatch import Dispatcher
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Event, Reminder

ROWS = 500


def seed_rows(
    sessions, now: datetime, *, platform: str = "bench", channels: list[str] | None = None
) -> None:
    """One due reminder per channel (``ROWS`` made-up channels unless given)."""
    channels = channels or [f"C{n}" for n in range(ROWS)]
    with sessions.begin() as session:
        event = Event(
            group_id=1,
            number=1000,
            kind="workshop",
            title="Benchmark workshop",
            starts_at=now + timedelta(days=1),
            timezone="Europe/Brussels",
            platform=platform,
            conversation={"channel": channels[0]},
            lead_minutes=[0],
        )
        session.add(event)
        session.flush()
        session.add_all(
            Reminder(
                group_id=1,
                event_id=event.id,
                kind="lead",
                due_at=now - timedelta(seconds=1),
                not_before=now - timedelta(seconds=1),
                platform=platform,
                target={"channel": channel},
                payload={"lead_minutes": 0, "event_sequence": 0},
                status="pending",
                attempts=0,
                late=False,
            )
            for channel in channels
        )


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'b.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    seed_rows(sessions, now)
    dispatcher = Dispatcher(
        sessions, {"bench": lambda target, reply, mark: Sent("x")}, clock=lambda: now
    )
    started = time.perf_counter()
    report = dispatcher.run_once()
    seconds = time.perf_counter() - started
    rate, each = report.sent / seconds, seconds / report.sent * 1000
    print(
        f"{engine.dialect.name}: {report.sent} reminders claimed, built and recorded in "
        f"{seconds:.2f} s ({rate:.0f}/s, {each:.1f} ms each)"
    )

    samples = ["next Friday 10:00", "15 Dec 17:00", "10/12/2027 14:00", "in 2 weeks at 10:00"]
    parse_when(samples[0], now=now, timezone="Europe/Brussels", needs_time=True)  # warm up
    started = time.perf_counter()
    for _ in range(50):
        for typed in samples:
            parse_when(typed, now=now, timezone="Europe/Brussels", needs_time=True)
    each = (time.perf_counter() - started) / (50 * len(samples)) * 1000
    print(f"<when> parsing: {each:.2f} ms per time read")
    engine.dispose()


if __name__ == "__main__":
    main()
