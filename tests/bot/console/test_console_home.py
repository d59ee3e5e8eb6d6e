"""The console's first words: help, home, quit and exit, on the real core and database."""

from __future__ import annotations

import io

import pytest

from bot.console.repl import run_console
from commands.context import Identity

CONSOLE_USER = Identity("console", "console", user_name="console")


def session_of(core, tmp_path, lines: str) -> str:
    out = io.StringIO()
    code = run_console(core, CONSOLE_USER, out_dir=tmp_path, stdin=io.StringIO(lines), stdout=out)
    assert code == 0
    return out.getvalue()


def test_help_lists_every_command_and_home_prints_the_dashboard(core, tmp_path):
    out = session_of(core, tmp_path, "help\n/chemclust join Limburg\nhome\n")
    assert "ChemClust bot: commands" in out
    for command in ("/benchmark", "/home", "/pilot", "/practice", "/workshop", "/deadline"):
        assert command in out
    home = out.split("Home · ChemClust Interregional Working Group", 1)[1]
    assert "You represent Limburg, as a partner." in home
    assert "Limburg in the benchmark · 2012 update (illustrative sample figures)" in home
    assert "[Profile]  [Chart]" in home
    assert "Note: Illustrative sample figures" in home


@pytest.mark.parametrize("goodbye", ["quit", "exit", "/quit", "EXIT"])
def test_quit_and_exit_end_the_session(core, tmp_path, goodbye):
    out = session_of(core, tmp_path, f"home\n{goodbye}\n/benchmark\n")
    assert "Home · " in out
    assert "league table" not in out
