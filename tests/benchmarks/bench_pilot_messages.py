"""Figures for pilot updates on an embedded SQLite file: run, read, not collected by pytest.

    .venv/bin/python -m tests.benchmarks.bench_pilot_messages [DATABASE_URL]

Prints how long ordinary chat, a logged update, the status and the export take.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commands import build_registry
from commands.context import Identity
from commands.core import Core
from commands.messages import POSTED, ChatMessage
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def timed(label: str, count: int, run) -> float:
    started = time.perf_counter()
    for number in range(count):
        run(number)
    seconds = time.perf_counter() - started
    print(f"{label:<44} {count:>5} × {seconds / count * 1000:8.3f} ms")
    return seconds


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else ""
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        core = Core(build_registry(), make_session_factory(engine), clock=lambda: NOW)
        author = Identity(platform="slack", user_id="UBENCH", workspace_id="T1", channel_id="C1")
        core.run_line(author, "/chemclust join Masovia")
        base = ChatMessage(
            kind=POSTED,
            channel_id="C1",
            message_id="",
            text="",
            author_id="UBENCH",
            posted_at=NOW - timedelta(days=1),
        )

        def chat(number: int) -> None:
            core.handle_message(
                author, replace(base, message_id=f"1.{number}", text="Good morning all")
            )

        def update(number: int) -> None:
            message = replace(
                base,
                message_id=f"2.{number}",
                delivery_id=f"Ev{number}",
                text=f"update skills: step {number} of the teacher training [on track]",
            )
            assert core.handle_message(author, message).acknowledge

        def retry(number: int) -> None:
            message = replace(
                base, message_id=f"2.{number}", delivery_id=f"Ev{number}", text="update skills: x"
            )
            assert core.handle_message(author, message).is_nothing

        timed("ordinary chat (no database)", 5000, chat)
        timed("update logged (claim + insert + commit)", 1000, update)
        timed("retried delivery recognised", 1000, retry)
        timed(
            "/pilot status skills (1000 updates)",
            20,
            lambda _: core.run_line(author, "/pilot status skills"),
        )
        timed("/pilot (overview)", 20, lambda _: core.run_line(author, "/pilot"))
        sizes = []
        timed(
            "/pilot export (1000 updates, xlsx + csv)",
            5,
            lambda _: sizes.append(
                [len(f.content) for f in core.run_line(author, "/pilot export").files]
            ),
        )
        print(
            f"export sizes: xlsx {sizes[-1][0] / 1024:.0f} KiB, csv {sizes[-1][1] / 1024:.0f} KiB"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
