"""The console, as a real process: a coordinator imports a real 2014 edition with
``chemclust-bot import benchmark``, then asks what moved (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess

from tests.support.benchmark_files import wide_csv
from tests.support.partners import PARTNER_REGIONS
from tests.support.processes import environment, run_command


def run(cwd, database_url: str, *arguments: str, lines: str = "") -> subprocess.CompletedProcess:
    env = environment(DATABASE_URL=database_url)
    return run_command(list(arguments), input=lines, cwd=cwd, env=env)


def test_changes_and_movers_after_importing_2014_on_the_command_line(tmp_path, database_url):
    figures = tmp_path / "benchmark-2014.csv"
    figures.write_bytes(wide_csv())
    imported = run(tmp_path, database_url, "import", "benchmark", str(figures), "--edition", "2014")
    assert imported.returncode == 0, imported.stdout + imported.stderr

    asked = run(
        tmp_path,
        database_url,
        "console",
        lines="/benchmark Limburg changes\n/benchmark movers\n/benchmark movers 2010\n",
    )
    assert asked.returncode == 0, asked.stderr
    out = asked.stdout
    assert "Limburg: what moved from the 2012 update to the 2014" in out
    assert "28.4 → 32 % of population 25-64" in out
    assert "Moved the index most: up " in out
    movers = out.split("Benchmark 2014: what moved since the 2012 update", 1)[1]
    for region in PARTNER_REGIONS:
        assert region in movers
    assert "The 2012 update holds illustrative sample figures" in movers
    assert "The 2010 report is the first edition" in out
    assert "Traceback" not in asked.stderr
