"""The two apps under measurement as processes of their own: the floor and ``chemclust-bot run``.

Each runs in its own interpreter, as in production: the clients and the mock of Slack in
the suite's process never compete with them for an interpreter lock, and each process's
resident memory can be read on its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.mock_slack import MockSlack
from tests.support.processes import BotProcess, environment, wait_until_healthy
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET

REPOSITORY = Path(__file__).resolve().parents[2]


def floor_environment(mock: MockSlack | None = None, **overrides: str) -> dict[str, str]:
    """The bot's Slack settings as the tests give them (the same signing secret and token,
    the Web API on ``mock``), and the repository on the module path so that
    ``python -m tests.benchmarks.floor`` is found from anywhere."""
    slack = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    if mock is not None:
        slack["SLACK_API_URL"] = mock.api_url
    return environment(PYTHONPATH=str(REPOSITORY), **slack, **overrides)


class FloorProcess(BotProcess):
    """The floor (tests/benchmarks/floor.py) as a process, configured through the environment
    as the bot is; stopped like the bot, with SIGTERM."""

    def __init__(self, *, mock: MockSlack, log_path: Path):
        super().__init__(database_url="", slack_api_url=mock.api_url, log_path=log_path)
        self.env = floor_environment(mock, PORT=str(self.port))

    def start(self, timeout: float = 30.0) -> FloorProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.benchmarks.floor"],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        wait_until_healthy(self.url, self.process, timeout)
        return self


def bot_process(
    *, database_url: str, mock: MockSlack, log_path: Path, dispatch_seconds: int | None = None
) -> BotProcess:
    """``chemclust-bot run`` as deployed: HTTP mode, the scheduler on; the dispatcher at its
    default interval unless ``dispatch_seconds`` is given."""
    bot = BotProcess(database_url=database_url, slack_api_url=mock.api_url, log_path=log_path)
    if dispatch_seconds is None:
        bot.env.pop("CHEMCLUST_DISPATCH_SECONDS", None)
    else:
        bot.env["CHEMCLUST_DISPATCH_SECONDS"] = str(dispatch_seconds)
    return bot


def resident_mb(pid: int) -> float:
    """A process's resident set size (VmRSS) in MB (10^6 bytes), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6  # the kernel counts KiB
    raise RuntimeError(f"no VmRSS for process {pid}")
