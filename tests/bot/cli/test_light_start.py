"""A start loads what its sub-command runs: the console neither Slack, Teams nor the other
sub-commands; ``db upgrade`` no feature; ``--help`` no console (issue 14, light start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PLATFORMS = ("slack_bolt", "slack_sdk", "aiohttp", "microsoft_agents", "bot.slack", "bot.teams")
OTHER_SUBCOMMANDS = (
    "bot.cli.db",
    "bot.cli.doctor",
    "bot.cli.export_audit",
    "bot.cli.run",
    "bot.cli.teams_package",
    "bot.cli.tools",
    "bot.cli.working_groups",
)
# Libraries imported where they are used, which a console start on SQLite does not reach: the
# web process's scheduler, the worker pool for charts, fuzzy name matching, PostgreSQL.
USED_LATER = (
    "apscheduler",
    "multiprocessing",
    "concurrent.futures.process",
    "rapidfuzz",
    "sqlalchemy.dialects.postgresql",
)


# ``python -m bot …`` that writes, as it exits, every module it had loaded.
PROBE = """
import atexit, runpy, sys
listing = sys.argv[1]
atexit.register(lambda: open(listing, "w").write("\\n".join(sorted(sys.modules))))
sys.argv = ["chemclust-bot", *sys.argv[2:]]
runpy.run_module("bot", run_name="__main__", alter_sys=True)
"""


def loaded(database_url: str, tmp_path: Path, *argv: str) -> set[str]:
    """The modules ``chemclust-bot …`` loaded, in a process of its own."""
    listing = tmp_path / "modules.txt"
    started = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *argv],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr[-2000:]
    return set(listing.read_text().splitlines())


def among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_each_start_loads_only_what_it_runs(database_url, tmp_path):
    console = loaded(database_url, tmp_path, "console")
    assert "bot.console.repl" in console  # the probe sees what is loaded
    assert among(console, PLATFORMS + OTHER_SUBCOMMANDS) == []

    upgrade = loaded(database_url, tmp_path, "db", "upgrade", "--no-seed")
    assert "bot.cli.db" in upgrade
    assert among(upgrade, ("commands", "bot.cli.console", "bot.console", *PLATFORMS)) == []

    listed = loaded(database_url, tmp_path, "--help")
    assert "commands.benchmark.tools" in listed  # the features' tools are listed
    assert among(listed, ("bot.console", "bot.runtime", *PLATFORMS)) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_console_start_loads_no_library_it_does_not_use_yet(database_url, tmp_path):
    console = loaded(database_url, tmp_path, "console")
    assert "bot.console.reminders" in console  # its reminders are checked at start
    assert "storage.practice_search" in console  # the practice search is registered
    assert among(console, USED_LATER) == []
