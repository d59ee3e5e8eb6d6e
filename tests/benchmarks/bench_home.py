"""How long the Home takes to build, with the seed and with 100× a busy group's history.

    .venv/bin/python -m tests.benchmarks.bench_home                    seed and 100×
    .venv/bin/python -m tests.benchmarks.bench_home --scale 1 --repeat 50 --json home.json

Seeds PostgreSQL databases as the suite does (CHEMCLUST_TEST_POSTGRES_URL's server, the
project's migrations, then the generated history of ``tests.benchmarks.sizes``), and builds
the Home through the command core for a partner and a coordinator of Limburg: the context
(who is asking), every read and the Reply, which is what any platform then renders. Prints
p50/p99 per person and size; target (issue 12): p99 ≤ 300 ms with 100× data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from commands import build_registry
from commands.context import Identity
from commands.core import Core
from storage.db import make_engine, make_session_factory
from tests.benchmarks.__main__ import _scales
from tests.benchmarks.load import Latencies
from tests.benchmarks.report import Figure, Target, legend, table, write_json
from tests.benchmarks.seeding import add_history
from tests.benchmarks.sizes import scale_label
from tests.support.databases import PostgresDatabases, postgres_admin_url, postgres_problem

TARGET = Target("≤ 300 ms", 300)
# The first builds of a process load pandas and score the benchmark; they are not the figure.
WARM_UP = 3
PARTNER = Identity("slack", "UHOMEPARTNER", "T0001", "CGENERAL", "home partner")
COORDINATOR = Identity("slack", "UHOMECOORD", "T0001", "CGENERAL", "home coordinator")
ABOUT = (
    "the Home built through the command core (context, reads, Reply; no rendering, no "
    "network) for a member of Limburg, after {warm} builds to warm up; PostgreSQL"
)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.bench_home",
        description="Time the Home's build for a partner and a coordinator at each data size.",
    )
    parser.add_argument(
        "--scale", type=_scales, default=(1.0, 100.0), help="data sizes, as for the suite (1,100)"
    )
    parser.add_argument("--repeat", type=int, default=100, help="builds per person and size")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    return parser.parse_args(argv)


def measure(url: str, scale: float, repeat: int) -> list[Figure]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        seeded = add_history(engine, scale)
        seconds = time.perf_counter() - started
        print(f"{scale_label(scale)}: seeded in {seconds:.0f} s", file=sys.stderr, flush=True)
        core = Core(
            build_registry(),
            make_session_factory(engine),
            coordinators=frozenset({COORDINATOR.user_id}),
        )
        figures = []
        for who, role in ((PARTNER, "partner"), (COORDINATOR, "coordinator")):
            core.run_line(who, "/chemclust join Limburg")
            timings = Latencies()
            for round_ in range(WARM_UP + repeat):
                begun = time.perf_counter()
                reply = core.run_line(who, "home")
                if round_ >= WARM_UP:
                    timings.add(time.perf_counter() - begun)
            assert reply is not None and reply.heading, reply  # noqa: PT018 - a real Home
            figures.append(
                Figure(
                    f"home, {scale_label(scale)}",
                    f"Home of a {role}, p50 / p99",
                    "ms",
                    (timings.p50 * 1000, timings.p99 * 1000),
                    target=TARGET if scale >= 100 else None,
                    detail=f"{len(reply.parts)} parts",
                    n=timings.n,
                    about=ABOUT.format(warm=WARM_UP),
                    extra={"rows_added": seeded.rows},
                )
            )
        return figures
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if (problem := postgres_problem()) is not None:
        sys.exit(f"PostgreSQL at {postgres_admin_url()} is not reachable ({problem})")
    databases = PostgresDatabases(postgres_admin_url())
    figures: list[Figure] = []
    try:
        for scale in args.scale:
            url = databases.create()
            try:
                figures += measure(url, scale, args.repeat)
            finally:
                databases.drop(url)
    finally:
        databases.close()
    print(table(figures))
    print("\nWhat was measured:\n" + legend(figures))
    if args.json:
        write_json(args.json, meta={"arguments": vars(args)}, figures=figures)


if __name__ == "__main__":
    main()
