"""The command line run in the test's process, for the ``chemclust-bot db`` tests."""

from __future__ import annotations

import os

import pytest

from bot.cli import main
from bot.slack.manifest import manifest_scopes
from storage.db import make_engine, make_session_factory
from storage.group_channels import set_group_channel
from storage.groups import default_group
from storage.models import utcnow
from tests.conftest import COORDINATOR_ID
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET


class CommandLine:
    """``chemclust-bot`` on a given DATABASE_URL, with what it printed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def __call__(self, database_url: str, *argv: str) -> tuple[int, str, str]:
        """(exit code, stdout, stderr)"""
        self.monkeypatch.setenv("DATABASE_URL", database_url)
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def refused(self, database_url: str, *argv: str) -> str:
        """The one line of a refusal, after checking it is one: exit 1, nothing else said."""
        code, out, err = result = self(database_url, *argv)
        assert (code, out) == (1, ""), result
        assert "Traceback" not in err
        (line,) = err.splitlines()
        assert line.startswith("chemclust-bot: ")
        return line.removeprefix("chemclust-bot: ")


@pytest.fixture
def db_cli(monkeypatch, capsys) -> CommandLine:
    monkeypatch.setattr("bot.cli.db.configure_logging", lambda *args, **kwargs: None)
    return CommandLine(monkeypatch, capsys)


@pytest.fixture
def environment(database_url, monkeypatch):
    """DATABASE_URL set for a command run in this process (exports, reports)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    # The command configures logging for a terminal; the test runner keeps its own.
    monkeypatch.setattr("bot.runtime.configure_logging", lambda *args, **kwargs: None)


OUR_SETTINGS = ("SLACK_", "CHEMCLUST_", "TEAMS_", "DATABASE_URL", "PUBLIC_URL", "LOG_")


class Doctor:
    """``chemclust-bot doctor`` in this process, on a set-up the test describes."""

    def __init__(self, monkeypatch, capsys, database_url: str, mock_slack: MockSlack):
        self.monkeypatch, self.capsys = monkeypatch, capsys
        self.env = {
            "DATABASE_URL": database_url,
            "SLACK_API_URL": mock_slack.api_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "PUBLIC_URL": "https://chemclust.example.org",
            "CHEMCLUST_COORDINATORS": COORDINATOR_ID,
        }

    def __call__(self, *argv: str) -> tuple[int, str]:
        for name in list(os.environ):
            if name.startswith(OUR_SETTINGS):
                self.monkeypatch.delenv(name)
        for name, value in self.env.items():
            self.monkeypatch.setenv(name, value)
        code = main(["doctor", *argv])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err, err
        return code, out

    def lines(self) -> tuple[int, dict[str, str]]:
        """The exit code and each check's line (with its fix) by check name."""
        code, out = self()
        found: dict[str, str] = {}
        name = ""
        for line in out.splitlines():
            if line.startswith(" ") and name:
                found[name] += "\n" + line.strip()
            elif ": " in line and not line.startswith(("All is well", "Found")):
                status_and_name, _, says = line.partition(": ")
                name = status_and_name.split(None, 1)[1] if " " in status_and_name else ""
                found[name] = f"{status_and_name.split()[0]} {says}"
        return code, found


@pytest.fixture
def doctor(monkeypatch, capsys, database_url, mock_slack) -> Doctor:
    mock_slack.scopes = ",".join(sorted(manifest_scopes()))
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        set_group_channel(
            session=session,
            group_id=default_group(session=session).id,
            platform="slack",
            channel_id="CGENERAL",
            channel_name="general",
            set_by=COORDINATOR_ID,
            now=utcnow(),
        )
    engine.dispose()
    return Doctor(monkeypatch, capsys, database_url, mock_slack)
