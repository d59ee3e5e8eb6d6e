"""How fast /practice answers with 10,000 practices, on SQLite and (when it answers) PostgreSQL.

Run: ``.venv/bin/python -m tests.benchmarks.bench_practice_search [--practices 10000]``.
Prints the median and 95th-percentile time per query; not collected by pytest (no assertions
on time: the figures depend on the machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

from commands import build_registry
from commands.context import Identity
from commands.core import Core
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Practice, Region
from storage.practice_search import PracticeQuery, close_terms, search_practices, search_words
from storage.practices import library_overview
from tests.support.databases import postgres_admin_url, postgres_problem

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
QUERIES = (
    "brightlands",
    "plock",
    "training",
    "train",
    "open innovation",
    "pilot plant region:limburg",
    "theme:financing",
    "apprentice teachers curriculum",
    "zzqx",
)
# Words mixed into the generated texts so that they differ from the seed records.
_FILLER_TEXT = """
    catalysis polymers membranes solvents biorefinery hydrogen recycling coatings electrolysis
    fermentation safety logistics permits vouchers incubator mentoring internships laboratory
    analytics scale-up digitalisation energy water plastics
"""
FILLER = _FILLER_TEXT.split()


def generate(sessions, count: int) -> None:
    """``count`` practices built from the seeded ones with varied titles, regions and words."""
    with sessions.begin() as session:
        seeds = list(session.scalars(select(Practice)))
        regions = [r.id for r in session.scalars(select(Region))]
        rows = []
        for n in range(count - len(seeds)):
            seed = seeds[n % len(seeds)]
            extra = " ".join(FILLER[(n * k) % len(FILLER)] for k in (3, 7, 11))
            rows.append(
                {
                    "group_id": seed.group_id,
                    "title": f"{seed.title} ({extra.split()[0]}, variant {n})",
                    "region_id": regions[(n * 7) % len(regions)],
                    "category": seed.category,
                    "themes": seed.themes,
                    "organisation": seed.organisation,
                    "summary": f"{seed.summary} Also {extra}.",
                    "description": f"{seed.description} {extra}",
                    "resources_needed": seed.resources_needed,
                    "evidence_of_success": seed.evidence_of_success,
                    "difficulties_met": seed.difficulties_met,
                    "potential_for_transfer": seed.potential_for_transfer,
                    "contact": seed.contact,
                    "link": seed.link,
                    "year": seed.year,
                    "is_sample": True,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
        for start in range(0, len(rows), 1000):
            session.execute(insert(Practice), rows[start : start + 1000])


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm caches once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def bench(name: str, url: str, count: int, repeat: int) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    upgrade(engine)
    sessions = make_session_factory(engine)
    generate(sessions, count)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE practice"))
    print(f"\n{name}: {count:,} practices loaded in {time.perf_counter() - started:.1f} s")
    core = Core(build_registry(), sessions, clock=lambda: NOW)
    person = Identity(platform="console", user_id="bench")
    print(
        f"  {'query':38} {'matches':>8} {'search ms':>10} {'p95':>7} "
        f"{'/practice ms':>13} {'p95':>7}"
    )
    for query in QUERIES:
        # The storage column times the words alone; the command column the whole line.
        words = search_words(" ".join(t for t in query.split() if ":" not in t))
        with sessions() as session:
            page = search_practices(
                session=session, group_id=1, query=PracticeQuery(words=words), limit=5
            )

        def storage_search(words=words):
            with sessions() as session:
                search_practices(
                    session=session, group_id=1, query=PracticeQuery(words=words), limit=5
                )

        def command(query=query):
            core.run_line(person, f"/practice {query}")

        command_median, command_p95 = timed(command, repeat)
        if words:
            search_median, search_p95 = timed(storage_search, repeat)
            storage = f"{page.total:>8,} {search_median:10.1f} {search_p95:7.1f}"
        else:  # filters only: no full-text search to time on its own
            storage = f"{'–':>8} {'–':>10} {'–':>7}"
        print(f"  {query:38} {storage} {command_median:13.1f} {command_p95:7.1f}")

    def overview():
        with sessions() as session:
            library_overview(session=session, group_id=1)

    def suggestions():
        with sessions() as session:
            close_terms(session=session, group_id=1, words=("trainig",))

    for label, run in (("/practice (overview)", overview), ("close terms for a typo", suggestions)):
        median, p95 = timed(run, repeat)
        print(f"  {label:38} {'':>8} {median:10.1f} {p95:7.1f}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        bench(
            "SQLite (FTS5)",
            f"sqlite:///{Path(directory) / 'bench.db'}",
            args.practices,
            args.repeat,
        )
    problem = postgres_problem()
    if problem is not None:
        print(f"\nPostgreSQL skipped: {problem}")
        return
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"chemclust_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        bench("PostgreSQL (tsvector + GIN)", url, args.practices, args.repeat)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
