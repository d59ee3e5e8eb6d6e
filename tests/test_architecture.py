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
