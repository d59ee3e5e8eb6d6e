"""The project's benchmark suite (issue 14): the bot side by side with a bare Bolt floor.

    .venv/bin/python -m tests.benchmarks                       everything, seed and 100× data
    .venv/bin/python -m tests.benchmarks --only commands --scale 1 --repeat 20
    .venv/bin/python -m tests.benchmarks --json figures.json --keep

Seeds PostgreSQL databases (CHEMCLUST_TEST_POSTGRES_URL's server, as the tests do) from the
project's migrations and adds generated history, starts the floor and ``chemclust-bot run``
as processes of their own with Slack's Web API on a local mock, and prints one table:
measure | floor | bot | ratio | target (issue 14's "done when").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from storage.db import make_engine
from tests.benchmarks.apps import REPOSITORY, FloorProcess
from tests.benchmarks.measure_bot import CALM_PROBES, COMMANDS, Plan, measure_scale
from tests.benchmarks.measure_process import measure_cold_start, measure_dispatcher
from tests.benchmarks.report import Figure, Target, legend, table, write_json
from tests.benchmarks.seeding import SeedReport, add_history
from tests.benchmarks.sizes import scale_label
from tests.support.databases import PostgresDatabases, postgres_admin_url, postgres_problem
from tests.support.mock_slack import MockSlack

SECTIONS = ("commands", "concurrency", "calm", "dispatcher", "coldstart")
DATABASE_SECTIONS = {"commands", "concurrency", "calm", "dispatcher"}
SEED_TARGET = Target("< 60 s", 60)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="Measure chemclust-bot against a bare Bolt app (the floor), side by side.",
    )
    parser.add_argument(
        "--only",
        type=_names(SECTIONS),
        default=SECTIONS,
        help=f"comma list of sections to run: {','.join(SECTIONS)} (default: all)",
    )
    parser.add_argument(
        "--scale",
        type=_scales,
        default=(1.0, 100.0),
        help="comma list of data sizes: 1 is the migrated seed, 100 the issue's 100× data, "
        "other numbers that share of it (default: 1,100)",
    )
    parser.add_argument("--repeat", type=int, default=100, help="requests per measure (100)")
    parser.add_argument(
        "--calm-probes",
        type=int,
        default=CALM_PROBES,
        help=f"probes of the calm web loop, idle and busy each ({CALM_PROBES})",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds a measure may take; a slow one stops sooner, after 3 requests at least (20)",
    )
    parser.add_argument("--window", type=float, default=5.0, help="seconds of concurrent load (5)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--reminders", type=int, default=5000, help="due reminders (5000)")
    parser.add_argument("--cold-runs", type=int, default=7, help="console starts (7)")
    parser.add_argument(
        "--commands",
        type=lambda text: tuple(c.strip() for c in text.split(",") if c.strip()),
        default=COMMANDS,
        help="comma list of command lines to time (default: the issue's ten and every other "
        "reading command people type)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the databases (names printed)")
    return parser.parse_args(argv)


def _names(allowed: tuple[str, ...]):
    def parse_names(text: str) -> tuple[str, ...]:
        names = tuple(n.strip() for n in text.split(",") if n.strip())
        unknown = [n for n in names if n not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}")
        return names

    return parse_names


def _scales(text: str) -> tuple[float, ...]:
    try:
        scales = tuple(float(n) for n in text.split(",") if n.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("numbers, like 1,100") from None
    if not scales or any(s <= 0 for s in scales):
        raise argparse.ArgumentTypeError("positive numbers, like 1,100")
    return scales


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> tuple[dict, list[Figure]]:
    sections = set(args.only)
    plan = Plan(
        commands=args.commands if "commands" in sections else (),
        rounds=args.repeat,
        budget_seconds=args.budget,
        clients=args.clients,
        window_seconds=args.window,
        concurrency="concurrency" in sections,
        calm="calm" in sections,
        calm_probes=args.calm_probes,
    )
    meta = _meta(args)
    figures: list[Figure] = []
    workdir = Path(tempfile.mkdtemp(prefix="chemclust-bench-"))
    say(f"logs in {workdir}")
    with ExitStack() as stack:
        mock = MockSlack()
        stack.callback(mock.close)
        if sections & DATABASE_SECTIONS:
            started = time.perf_counter()
            databases = PostgresDatabases(postgres_admin_url())
            stack.callback(databases.close)
            meta["migrate_seconds"] = time.perf_counter() - started
            floor = FloorProcess(mock=mock, log_path=workdir / "floor.log").start()
            stack.callback(floor.stop)
            urls = {}
            for scale in args.scale:
                label = scale_label(scale)
                urls[scale] = databases.create()
                if args.keep:
                    meta.setdefault("kept_databases", []).append(urls[scale])
                else:
                    stack.callback(databases.drop, urls[scale])
                say(f"seeding {label} …")
                figures.append(_seeded(label, _seed(urls[scale], scale)))
                if plan.commands or plan.concurrency or plan.calm:
                    say(f"measuring the bot at {label} …")
                    figures += attempt(
                        f"bot at {label}",
                        meta,
                        measure_scale,
                        plan,
                        scale=scale,
                        database_url=urls[scale],
                        floor=floor,
                        mock=mock,
                        log_path=workdir / f"bot-{label}.log",
                    )
            if "dispatcher" in sections:
                largest = max(args.scale)
                say(f"dispatching {args.reminders} reminders at {scale_label(largest)} …")
                figures += attempt(
                    "dispatcher",
                    meta,
                    measure_dispatcher,
                    database_url=urls[largest],
                    mock=mock,
                    count=args.reminders,
                    log_path=workdir / "dispatcher.log",
                )
        if "coldstart" in sections:
            say("cold starts …")
            figures += attempt(
                "cold start",
                meta,
                measure_cold_start,
                runs=args.cold_runs,
                folder=workdir / "console",
            )
    meta["load_average_after"] = os.getloadavg()
    return meta, figures


def attempt(name: str, meta: dict, measure: Callable[..., list[Figure]], *args, **kwargs):
    """A section's figures; a section that fails is reported, and the others still run."""
    try:
        return measure(*args, **kwargs)
    except Exception as error:
        say(traceback.format_exc())
        meta.setdefault("failed", []).append(f"{name}: {type(error).__name__}: {error}")
        return []


def _seed(url: str, scale: float) -> SeedReport:
    engine = make_engine(url)
    try:
        return add_history(engine, scale)
    finally:
        engine.dispose()


def _seeded(label: str, report: SeedReport) -> Figure:
    rows = ", ".join(f"{count:,} {table}" for table, count in report.rows.items())
    return Figure(
        "seeding",
        f"generated history added, {label}",
        "s",
        (report.seconds,),
        target=SEED_TARGET if report.rows else None,
        detail=rows or "the migrated seed as it is",
        n=sum(report.rows.values()),
        about="rows generated in Python while a thread writes the previous tables with COPY, "
        "indexes built, VACUUM ANALYZE (migrating the template first is in the JSON's meta)",
        extra={
            "load_seconds": report.load_seconds,
            "analyze_seconds": report.analyze_seconds,
            "rows": report.rows,
        },
    )


def _meta(args: argparse.Namespace) -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True, text=True
    ).stdout.strip()
    return {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "arguments": {k: v for k, v in vars(args).items() if k != "json"},
    }


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if set(args.only) & DATABASE_SECTIONS and (problem := postgres_problem()) is not None:
        sys.exit(
            f"PostgreSQL at {postgres_admin_url()} is not reachable ({problem}); set "
            "CHEMCLUST_TEST_POSTGRES_URL to a server where this user may create databases"
        )
    meta, figures = run(args)
    figures.sort(key=lambda figure: figure.section != "seeding")  # stable: the rest in order
    print(
        f"chemclust-bot {meta['commit']}, {meta['cpus']} CPUs, load average "
        f"{meta['load_average_before'][0]:.1f} before, {meta['load_average_after'][0]:.1f} after"
    )
    print(table(figures))
    print("\nWhat was measured:\n" + legend(figures))
    for failure in meta.get("failed", []):
        print(f"FAILED {failure} (see the traceback above and the logs)")
    for url in meta.get("kept_databases", []):
        print(f"kept: {url}")
    if args.json:
        write_json(args.json, meta=meta, figures=figures)
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
