"""Numbers an operator types on the command line are read like any other: 0–9, in range."""

from __future__ import annotations

import pytest

from bot.cli import main
from tests.bot.cli.test_import_benchmark import snapshot
from tests.commands.test_numbers import NOT_NUMBERS
from tests.support.benchmark_files import wide_csv

BAD_YEARS = {kind: typed for kind, typed in NOT_NUMBERS.items() if typed}


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("bot.runtime.configure_logging", lambda *args, **kwargs: None)
    return lambda *argv: main(list(argv))


def test_a_year_option_that_is_not_a_year_is_refused_before_anything_runs(
    cli, sessions, tmp_path, capsys
):
    path = tmp_path / "benchmark.csv"
    path.write_bytes(wide_csv())
    before = snapshot(sessions)
    commands = [
        (year, command)
        for year in BAD_YEARS.values()
        for command in (
            ("import", "benchmark", str(path), "--edition", "2014", "--year", year),
            ("import", "eurostat", "rd_e_gerdreg", "--indicator", "BUSRD", "--since", year),
        )
    ]
    for typed, argv in commands:
        with pytest.raises(SystemExit) as exited:
            cli(*argv)
        assert exited.value.code == 2
        error = capsys.readouterr().err
        assert f"“{typed}” is not a year: write it with the digits 0–9, from 1000 to 9999" in error
    assert snapshot(sessions) == before


def test_an_edition_to_export_named_by_a_bad_year_is_refused(cli, tmp_path, capsys):
    out = tmp_path / "benchmark.csv"
    for typed in ("²⁰¹²", "２０１２", "-2012", "99999999999"):
        assert cli("export", "benchmark", "--out", str(out), "--edition", typed) == 1
        assert f"“{typed}” is not a year" in capsys.readouterr().out
        assert not out.exists()
