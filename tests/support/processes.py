"""Running the installed ``chemclust-bot`` command as a real process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def executable() -> str:
    """The console script installed next to this interpreter (the README's install)."""
    found = Path(sys.executable).with_name("chemclust-bot")
    if found.exists():
        return str(found)
    on_path = shutil.which("chemclust-bot")
    if on_path is None:
        raise RuntimeError("chemclust-bot is not installed; run pip install -e '.[dev]'")
    return on_path


def environment(**overrides: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CHEMCLUST_", "TEAMS_"))
    }
    env.pop("DATABASE_URL", None)
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"chemclust-bot exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url}/healthz did not answer within {timeout}s")
