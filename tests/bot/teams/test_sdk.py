"""The Agents SDK: exactly the pinned 1.9.0 packages, loaded only when Teams is on."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

PINNED = (
    "microsoft-agents-hosting-core",
    "microsoft-agents-hosting-aiohttp",
    "microsoft-agents-authentication-msal",
    "microsoft-agents-activity",
)


@pytest.mark.parametrize("package", PINNED)
def test_the_pinned_sdk_version_is_installed(package):
    # A loose pin next to hosting-teams resolves silently to 0.9.1 on Python 3.11.
    assert version(package) == "1.9.0"


@pytest.mark.parametrize(
    "package", ["microsoft-agents-hosting-teams", "microsoft-agents-hosting-msteams"]
)
def test_the_teams_extension_packages_are_not_installed(package):
    with pytest.raises(PackageNotFoundError):
        version(package)


def test_a_slack_only_start_does_not_load_the_sdk(tmp_path):
    probe = (
        "import sys, asyncio;"
        "from bot.settings import Settings;"
        "from bot.runtime import build_runtime;"
        "from bot.server import start_server;"
        "import bot.cli, bot.teams.render, bot.teams.manifest;"
        f"runtime = build_runtime(Settings(database_url='sqlite:///{tmp_path}/x.db',"
        " scheduler_enabled=False));"
        "server = asyncio.run(start_server(runtime, host='127.0.0.1', port=0));"
        "print(sorted(m for m in sys.modules if m.startswith('microsoft_agents')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
