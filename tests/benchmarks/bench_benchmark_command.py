"""How fast /benchmark answers: through the core, and over signed HTTP to the web process.

Run: .venv/bin/python -m tests.benchmarks.bench_benchmark_command [sqlite|postgresql]
(postgresql uses a scratch database on CHEMCLUST_TEST_POSTGRES_URL's server, dropped after.)
Prints figures; asserts nothing (tests stay deterministic, figures go into issue notes).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.runtime import build_runtime
from bot.settings import Settings
from commands.context import Identity
from tests.support.bot_server import start_bot
from tests.support.databases import PostgresDatabases, SqliteDatabases, postgres_admin_url
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET, post_signed, slash_command

ROUNDS = 50


def summary(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{label:<42} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   n={len(ms)}")


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if backend == "postgresql":
        databases = PostgresDatabases(postgres_admin_url())
    else:
        databases = SqliteDatabases(Path(tempfile.mkdtemp()))
    url = databases.create()
    try:
        measure(url)
    finally:
        databases.drop(url)
        databases.close()


def measure(url: str) -> None:
    print(f"database: {url.split('@')[-1]}")
    runtime = build_runtime(Settings(database_url=url))
    who = Identity("console", "bench")
    for line in (
        "/benchmark",
        "/benchmark Limburg",
        "/benchmark NRW vs Tees Valley",
        "/benchmark Atlantis",
    ):
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            runtime.core.run_line(who, line)
            times.append(time.perf_counter() - started)
        summary(f"core {line}", times)

    mock = MockSlack()
    running = start_bot(
        Settings(
            database_url=url,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=mock.api_url,
            host="127.0.0.1",
            port=0,
        )
    )
    try:
        times = [
            post_signed(running.slack_url, slash_command("/benchmark", "Limburg")).seconds
            for _ in range(ROUNDS)
        ]
        summary("HTTP signed /benchmark Limburg", times)
    finally:
        running.stop()
        mock.close()
        runtime.engine.dispose()


if __name__ == "__main__":
    main()
