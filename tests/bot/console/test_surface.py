"""What commands tell console users comes from the console surface: no person's time zone,
no forms, reminders printed where the command was typed."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console.repl import answer
from commands.context import Identity
from tests.support.events import Clock, make_core

ME = Identity(platform="console", user_id="console", user_name="console")


def test_the_console_reads_times_in_the_group_zone_and_adds_practices_by_line(sessions, tmp_path):
    core = make_core(sessions, Clock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC)))
    workshop_help = answer(core, ME, "/workshop help", tmp_path)
    assert "Without a zone it is the group's." in workshop_help
    practice_help = answer(core, ME, "/practice help", tmp_path)
    assert "Where no form opens, add with" in practice_help
    for said in (workshop_help, practice_help):
        assert "Slack" not in said
        assert "Teams" not in said
