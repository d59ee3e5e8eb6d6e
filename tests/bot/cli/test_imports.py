"""``chemclust-bot import practices FILE`` as an operator runs it."""

from __future__ import annotations

import csv

import pytest

from bot.cli import main
from storage.db import make_engine, make_session_factory
from storage.models import utcnow
from tests.support.practices import count

HEADER = ["Title", "Region", "Themes", "Summary", "Year"]


@pytest.fixture
def cli(database_url, monkeypatch):
    """Run the command line on the test database, leaving the test run's logging alone."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("bot.runtime.configure_logging", lambda *args, **kwargs: None)
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    yield lambda *argv: main(list(argv)), sessions
    engine.dispose()


def write(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([HEADER, *rows])


def test_a_good_file_is_imported(cli, tmp_path, capsys):
    run, sessions = cli
    path = tmp_path / "practices.csv"
    write(path, [["Chemistry olympiad", "SH", "skills", "Pupils solve tasks set by industry.", ""]])
    assert run("import", "practices", str(path), "--check") == 0
    assert "nothing was imported (--check)" in capsys.readouterr().out
    assert count(sessions) == 25
    assert run("import", "practices", str(path)) == 0
    assert capsys.readouterr().out.endswith(
        "imported into ChemClust Interregional Working Group: 1 added, 0 changed, 0 unchanged.\n"
    )
    assert count(sessions) == 26


def test_a_file_with_problems_imports_nothing_and_lists_them_by_row(cli, tmp_path, capsys):
    run, sessions = cli
    path = tmp_path / "practices.csv"
    write(
        path,
        [
            ["Chemistry olympiad", "SH", "skills", "Pupils solve tasks set by industry.", ""],
            ["Second practice", "Limburg", "skills", "", "20111"],
        ],
    )
    assert run("import", "practices", str(path)) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{path}: nothing was imported.",
        "  Row 3, Summary: Fill in the summary.",
        f"  Row 3, Year: “20111” is not a year: write it with the digits 0–9, from 1950 to "
        f"{utcnow().year}, e.g. 2011.",
    ]
    assert count(sessions) == 25
    assert run("import", "practices", str(path), "--group", "nobody") == 1
    assert "There is no working group “nobody”." in capsys.readouterr().err


def test_control_characters_in_cells_are_removed_before_anything_is_stored(cli, tmp_path):
    from tests.support.practices import get

    run, sessions = cli
    path = tmp_path / "practices.csv"
    write(
        path, [["Chemistry\x00 olympiad\u202e", "S\x00H", "skills", "Pupils\x1b solve tasks.", ""]]
    )
    assert run("import", "practices", str(path)) == 0
    practice = get(sessions, 26)
    assert (practice.title, practice.summary) == ("Chemistry olympiad", "Pupils solve tasks.")
