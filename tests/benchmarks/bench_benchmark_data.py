"""Figures for the benchmark data paths: import, charts, export. Run by hand:

    .venv/bin/python -m tests.benchmarks.bench_benchmark_data

Uses a throwaway SQLite database; prints seconds per operation (not collected by pytest).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from commands import build_registry
from commands.benchmark.export import export_file
from commands.benchmark.imports import import_file
from commands.context import Identity
from commands.core import Core
from storage.db import make_engine, make_session_factory
from storage.groups import default_group
from storage.migrate import upgrade
from tests.support.benchmark_files import to_xlsx, wide_csv, wide_rows


def timed(label: str, run, repeat: int = 5) -> None:
    started = time.perf_counter()
    for _ in range(repeat):
        run()
    print(f"{label:<44} {(time.perf_counter() - started) / repeat * 1000:8.1f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        sessions = make_session_factory(engine)
        core = Core(build_registry(), sessions)
        me = Identity(platform="console", user_id="console")
        with sessions() as session:
            group_id = default_group(session=session).id

        started = time.perf_counter()
        core.run_line(me, "/benchmark Limburg chart")
        print(f"{'first chart (matplotlib import + draw)':<44} "
              f"{(time.perf_counter() - started) * 1000:8.1f} ms")  # fmt: skip
        for label, content, name in (
            ("check wide CSV, 10 x 11 (dry run)", wide_csv(), "f.csv"),
            ("check wide XLSX, 10 x 11 (dry run)", to_xlsx(wide_rows()), "f.xlsx"),
        ):
            timed(label, lambda c=content, n=name: import_file(
                sessions, group_id=group_id, filename=n, content=c, edition="2014", year=None,
                replace=True, dry_run=True, source="bench"))  # fmt: skip
        timed("import wide CSV, replacing an edition", lambda: import_file(
            sessions, group_id=group_id, filename="f.csv", content=wide_csv(),
            edition="2012 update", year=None, replace=True, dry_run=False, source="bench",
            is_sample=True))  # fmt: skip
        timed("/benchmark Limburg chart", lambda: core.run_line(me, "/benchmark Limburg chart"))
        timed("/benchmark Limburg trend", lambda: core.run_line(me, "/benchmark Limburg trend"))
        timed("/benchmark indicator PCT", lambda: core.run_line(me, "/benchmark indicator PCT"))
        ctx = core.context(me)
        timed("export workbook, all editions", lambda: export_file(ctx, edition="", csv=False))
        timed("export long CSV, all editions", lambda: export_file(ctx, edition="", csv=True))
        engine.dispose()


if __name__ == "__main__":
    main()
