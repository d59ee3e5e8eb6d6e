"""Every number a person types, tried with the kinds that are not one, on both databases.

Each is answered privately, says what was typed, writes nothing and never shows an error id:
in commands, form fields, button values (they come back from the client), overheard
messages and the message a file is sent with.
"""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy import make_url, select

from bot.console.render import render
from commands.benchmark.imports import IncomingFile, receive_file
from commands.pilots.log import LOG_FORM
from commands.practice.form import ADD_FORM
from commands.practice.search import SEARCH_ACTION
from commands.practice.views import DETAILS_ACTION
from commands.reminders.messages import CALENDAR_ACTION, DELIVERED_ACTION
from commands.reply import FormErrors, plain
from storage.db import is_sqlite
from storage.models import Base, PilotUpdate
from storage.numbers import foreign_digits
from tests.commands.practice.test_practice import form_values as practice_form
from tests.commands.test_user_text import chat
from tests.support.benchmark_files import wide_csv
from tests.support.database_reset import conninfo, newest_query

NOT_NUMBERS = {
    "superscript": "²",
    "circled": "①",
    "fullwidth": "１２",
    "arabic-indic": "١٢",
    "negative": "-3",
    "huge": "99999999999999999999",
    "past-postgresql-integer": "2147483648",
    "empty": "",
}
# Dates are read by a library: only numerals other than 0–9 are refused before it guesses.
FOREIGN_DIGITS = {kind: NOT_NUMBERS[kind] for kind in ("superscript", "circled", "fullwidth",
                                                          "arabic-indic")}  # fmt: skip

COMMANDS = {
    "practice-show": "/practice show {n}",
    "practice-show-hash": "/practice show #{n}",
    "practice-edit": "/practice edit {n} summary=Changed",
    "workshop-move": "/workshop move W{n} next Friday 10:00",
    "workshop-cancel": "/workshop cancel W{n}",
    "deadline-done": "/deadline done D{n} Limburg",
    "deadline-move": "/deadline move {n} 20 Dec 17:00",
    "lead-time": '/workshop add "Numbers" 15 Dec 10:00 remind 1d,{n}h',
    "milestone-done": "/pilot milestone done skills M{n}",
    "milestone-reopen": "/pilot milestone reopen skills milestone {n}",
}
# Where the number may be left out, leaving it out is another request, not a mistake.
OPTIONAL_NUMBERS = {
    "practice-edit-year": "/practice edit 1 year={n}",
    "practice-page": "/practice training page:{n}",
    "milestone-tag": "/pilot log skills Training held [M{n}]",
    "benchmark-year": "/benchmark Limburg {n}",
    "benchmark-indicator-year": "/benchmark indicator PCT {n}",
    "benchmark-export": "/benchmark export {n}",
}
DATE_COMMANDS = {
    "workshop-date": '/workshop add "Numbers" {n} Dec 10:00',
    "deadline-date": '/deadline add "Numbers" 15 Dec {n}:00',
    "milestone-due": '/pilot milestone add skills "Numbers" due {n} Mar 2027',
}


def snapshot(sessions) -> dict[str, list[tuple]]:
    """Every row of every table: whatever a refused input might have written shows up."""
    with sessions() as session:
        return {
            table.name: sorted(map(tuple, session.execute(select(table)).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


# Per table, its number of rows and the newest row version's transaction id.
NEWEST_ROWS = newest_query([], [table.name for table in Base.metadata.sorted_tables])


class StoredRows:
    """Every row of every table as kept, and whether they are still so after each try.

    Reading every row after every try (a query per table) was most of this file's time. A
    write mark read in one round trip shows for certain that nothing was written since the
    rows were kept; only when it moved are the rows read again and compared, so the check
    is exactly the comparison of every row after every try, and fails on the try that wrote.

    PostgreSQL: per table, the number of rows and the newest row version's transaction id
    (``xmin``), as the test databases' reset reads them (``tests.support.database_reset``):
    a written row is a new version whose id is newer than every id already there, and rows
    only deleted lower the count. SQLite: ``PRAGMA data_version``, which moves whenever
    another connection commits. Either is read on a connection of its own that never writes.
    """

    def __init__(self, database_url: str, sessions):
        self.sessions = sessions
        if is_sqlite(database_url):
            self.watcher = sqlite3.connect(make_url(database_url).database)
            self.mark_query = "PRAGMA data_version"
        else:
            self.watcher = psycopg.connect(conninfo(database_url), autocommit=True)
            self.mark_query = NEWEST_ROWS
        self.rows: dict[str, list[tuple]] = {}
        self.mark: list[tuple] = []

    def keep(self) -> None:
        self.mark = self._mark()  # before the rows: a write in between moves it, not hides
        self.rows = snapshot(self.sessions)

    def _mark(self) -> list[tuple]:
        return sorted(self.watcher.execute(self.mark_query).fetchall())

    def assert_unchanged(self) -> None:
        mark = self._mark()
        if mark != self.mark:
            assert snapshot(self.sessions) == self.rows
            self.mark = mark  # written, but the same rows: the next try is compared from here

    def close(self) -> None:
        self.watcher.close()


@pytest.fixture
def stored(database_url, sessions):
    """``keep()`` the rows as they are, then ``assert_unchanged()`` after each try."""
    rows = StoredRows(database_url, sessions)
    yield rows
    rows.close()


def refused_privately(reply, typed: str) -> str:
    shown = render(reply)
    assert reply.private, shown
    assert "error id" not in shown, shown
    if typed:
        assert typed in shown, shown
    return shown


@pytest.fixture
def warmed(core, coordinator, partner):
    """Both people known to the database, so that asking writes nothing new."""
    core.run_line(coordinator, "/chemclust join Limburg")
    core.run_line(partner, "/chemclust join Limburg")
    core.run_line(coordinator, '/pilot milestone add skills "Guide" due 31 Mar 2027')
    return core


def each(kinds: dict[str, str], check) -> None:
    failures = []
    for kind, typed in kinds.items():
        try:
            check(typed)
        except AssertionError as error:
            failures.append(f"{kind} ({typed!r}): {str(error)[:300]}")
    assert failures == []


@pytest.mark.parametrize(
    "template",
    [*COMMANDS.values(), *OPTIONAL_NUMBERS.values()],
    ids=[*COMMANDS, *OPTIONAL_NUMBERS],
)
def test_commands_refuse_what_is_not_a_number(warmed, coordinator, stored, template):
    stored.keep()
    optional = template in OPTIONAL_NUMBERS.values()

    def check(typed: str) -> None:
        if optional and not typed:
            return
        refused_privately(warmed.run_line(coordinator, template.format(n=typed)), typed)
        stored.assert_unchanged()

    each(NOT_NUMBERS, check)


@pytest.mark.parametrize("template", DATE_COMMANDS.values(), ids=DATE_COMMANDS.keys())
def test_dates_refuse_numerals_other_than_0_to_9(warmed, coordinator, stored, template):
    stored.keep()

    def check(typed: str) -> None:
        shown = refused_privately(warmed.run_line(coordinator, template.format(n=typed)), typed)
        assert "digits 0–9" in shown
        stored.assert_unchanged()

    each(FOREIGN_DIGITS, check)


@pytest.mark.parametrize(
    ("opening", "form_id", "values", "field"),
    [
        ("/practice add", ADD_FORM, practice_form(year="{n}"), "year"),
        ("/pilot log", LOG_FORM, {"pilot": "skills", "status": "", "milestone": "M{n}",
                                  "text": "x"}, "milestone"),
        ("/workshop add", "events.workshop.add", {"title": "Numbers", "when": "15 Dec 10:00",
                                                  "kind": "workshop", "remind": "{n}d"}, "remind"),
        ("/deadline add", "events.deadline.add", {"title": "Numbers", "when": "15 Dec {n}:00",
                                                  "regions": "all", "remind": ""}, "when"),
    ],
    ids=["practice-year", "pilot-milestone", "lead-time", "deadline-date"],
)  # fmt: skip
def test_form_fields_refuse_what_is_not_a_number(
    warmed, coordinator, stored, opening, form_id, values, field
):
    token = warmed.run_line(coordinator, opening, can_open_forms=True).form.state
    stored.keep()
    kinds = FOREIGN_DIGITS if field == "when" else NOT_NUMBERS

    def check(typed: str) -> None:
        filled = {name: value.replace("{n}", typed) for name, value in values.items()}
        if not typed and field == "year":  # an empty optional year is no year: fine
            return
        with pytest.raises(FormErrors) as refused:
            warmed.submit_form(coordinator, form_id, filled, token)
        assert list(refused.value.errors) == [field], refused.value.errors
        assert typed in refused.value.errors[field]
        stored.assert_unchanged()

    each(kinds, check)


@pytest.mark.parametrize(
    ("action_id", "template"),
    [
        (DETAILS_ACTION, "{n}"),
        (SEARCH_ACTION, "{n}|training"),
        (CALENDAR_ACTION, "{n}"),
        (DELIVERED_ACTION, "{n}"),
    ],
    ids=["practice-details", "more-results", "add-to-calendar", "mark-delivered"],
)
def test_button_values_refuse_what_is_not_a_number(warmed, partner, stored, action_id, template):
    stored.keep()

    def check(typed: str) -> None:
        refused_privately(warmed.run_action(partner, action_id, template.format(n=typed)), typed)
        stored.assert_unchanged()

    each(NOT_NUMBERS, check)


def test_an_overheard_update_with_a_bad_milestone_tag_says_so_and_keeps_the_text(
    warmed, partner, sessions
):
    outcome = warmed.handle_message(partner, chat("update skills: Teachers met [M²]"))
    assert outcome.acknowledge
    note = " ".join(plain(p.text) for p in outcome.private.parts)
    assert "“M²” is not a milestone number" in note
    assert "logged without a milestone" in note
    with sessions() as session:
        [row] = session.scalars(select(PilotUpdate)).all()
    assert (row.text, row.milestone_id) == ("Teachers met", None)


def test_the_year_in_a_files_message_is_read_like_any_number(warmed, coordinator, stored):
    stored.keep()

    def check(typed: str) -> None:
        if not typed:
            return  # "year" alone is part of the edition's name
        incoming = IncomingFile("figures.csv", wide_csv(), f"D1:{typed}:F1", f"2014 year {typed}")
        reply = warmed.run_handler(coordinator, lambda ctx: receive_file(ctx, incoming), what="t")
        refused_privately(reply, typed)
        stored.assert_unchanged()

    each(NOT_NUMBERS, check)


@pytest.mark.parametrize(
    "line",
    [
        "/workshop cancel W６",
        "/workshop cancel W٦",
        "/workshop move ６ 20 Dec 10:00",
        "/deadline done D٧ Limburg",
        "/deadline move ⑦ 20 Dec 17:00",
        "/pilot milestone done skills M１",
        "/pilot milestone done skills M¹",
        "/practice edit ８ summary=Changed",
        "/practice show ٨",
        "/benchmark Limburg ２０１２",
        "/benchmark export ²⁰¹²",
    ],
)
def test_other_digits_are_never_taken_for_the_number_they_look_like(
    warmed, coordinator, stored, line
):
    """W６ is not W6: folding or int() would read it so, and act on the wrong thing."""
    warmed.run_line(coordinator, '/workshop add "Six" 15 Dec 10:00')
    warmed.run_line(coordinator, '/deadline add "Seven" 16 Dec 17:00')
    stored.keep()
    typed = next(word for word in line.split() if foreign_digits(word))
    shown = refused_privately(warmed.run_line(coordinator, line), typed)
    assert "digits 0–9" in shown
    stored.assert_unchanged()


def test_good_numbers_still_work(warmed, coordinator):
    assert warmed.run_line(coordinator, "/practice show 8").heading
    assert "#8" in render(warmed.run_action(coordinator, DETAILS_ACTION, "8"))
    assert "is done" in render(warmed.run_line(coordinator, "/pilot milestone done skills M1"))
    log = warmed.run_line(coordinator, "/pilot log skills Guide drafted [milestone 1]")
    assert "M1 Guide" in render(log)
    assert warmed.run_line(coordinator, "/practice training page:2").private
