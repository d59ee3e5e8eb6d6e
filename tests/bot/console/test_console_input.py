"""Hostile input typed into the real console: numbers that are not, control characters."""

from __future__ import annotations

from tests.bot.console.test_console import console


def test_bad_numbers_and_control_characters_get_answers_not_tracebacks(tmp_path):
    lines = (
        "/practice show ²\n"
        "/practice show 99999999999999999999\n"
        "/practice training page:①\n"
        "/workshop move W١٢ next Friday 10:00\n"
        "/practice add Shared\x00 lab\x1b for SMEs | Limburg | Financing | Rented by the day.\n"
        "/practice show 26\n"
    )
    result = console(tmp_path, "--region", "Limburg", lines=lines)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "“²” is not a practice number: write it with the digits 0–9" in out
    assert "“99999999999999999999” is not a practice number" in out
    assert "“①” is not a page number" in out
    assert "“W١٢” is not an event id" in out
    assert "Shared lab for SMEs" in out
    assert "\x00" not in out
    assert "\x1b" not in out
    assert "error id" not in out
    assert "Traceback" not in result.stderr
