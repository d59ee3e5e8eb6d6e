"""The command line run in the test's process, for the ``chemclust-bot db`` tests."""

from __future__ import annotations

import pytest

from bot.cli import main


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
