"""The three rooms: imports point one way, bot -> commands -> storage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp")
FORBIDDEN = {
    "commands": ("bot", *PLATFORM_LIBRARIES),
    "storage": ("bot", "commands", *PLATFORM_LIBRARIES),
}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_rooms_do_not_import_upwards_or_platforms(room):
    offences = []
    for path in sorted((ROOT / room).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN[room]:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


# What bot/ may import from commands/: the core and its vocabulary, the registry and what is
# registered in it, and the feature list. Features themselves reach bot/ only through these.
COMMANDS_PUBLIC_SURFACE = {
    "commands.context",
    "commands.core",
    "commands.files",
    "commands.jobs",
    "commands.messages",
    "commands.port",
    "commands.registry",
    "commands.reply",
    "commands.routes",
    "commands.surface",
}
FEATURE_LIST = {"build_registry", "register"}  # what ``from commands import …`` may name
# Command-line subcommands are not yet a plug-in point: each still imports its feature.
NOT_YET_PLUGGED_IN = ("bot/cli/",)


def imports_past_the_surface(source: str) -> list[str]:
    """The imports in ``source`` of commands/ modules outside its public surface."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "commands":
                found += [f"commands.{a.name}" for a in node.names if a.name not in FEATURE_LIST]
                continue
            modules = [node.module]
        else:
            continue
        found += [
            module
            for module in modules
            if module.startswith("commands.") and module not in COMMANDS_PUBLIC_SURFACE
        ]
    return found


def test_adapters_import_no_feature_only_the_public_surface_of_commands():
    offences = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(NOT_YET_PLUGGED_IN):
            continue
        source = path.read_text(encoding="utf-8")
        offences += [f"{relative} imports {m}" for m in imports_past_the_surface(source)]
    assert offences == []


@pytest.mark.parametrize(
    "line",
    [
        "from commands.pilots.log import LOG_FORM",
        "import commands.benchmark.imports",
        "from commands import pilots",
        "from commands.reminders.dispatch import Dispatcher",
        "def f():\n    from commands.events.calendar import calendar_for_token",
    ],
)
def test_the_surface_check_catches_a_feature_imported_by_an_adapter(line):
    assert imports_past_the_surface(line) != []


@pytest.mark.parametrize(
    "line",
    [
        "from commands import build_registry",
        "from commands.core import Core",
        "import commands.reply",
        "from bot.slack import render",
        "from . import sibling",
    ],
)
def test_the_surface_check_lets_the_public_surface_through(line):
    assert imports_past_the_surface(line) == []


def test_heavy_libraries_are_not_imported_at_start_up():
    """pandas and friends load when a command needs them, not when the bot starts."""
    import subprocess
    import sys

    probe = (
        "import sys, bot.cli, bot.server, commands;"
        "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
