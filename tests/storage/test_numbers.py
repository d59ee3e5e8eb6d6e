"""The one reader of the whole numbers people type."""

from __future__ import annotations

import pytest

from storage.numbers import MAX_ID, NumberError, WholeNumber, foreign_digits, looks_like_number
from storage.sheets import parse_number

PRACTICE = WholeNumber("a practice number", 1, MAX_ID, "12")


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12", 12), (" 7 ", 7), ("0012", 12), ("1", 1), ("2147483647", MAX_ID)],
)
def test_digits_0_to_9_within_the_range_are_read(typed, value):
    assert PRACTICE.read(typed) == value


@pytest.mark.parametrize(
    "typed",
    [
        "²",  # superscript: str.isdigit() says yes, int() says no
        "①",  # circled
        "１２",  # fullwidth: int() reads it
        "١٢",  # Arabic-Indic: int() reads it
        "۱۲",  # Extended Arabic-Indic
        "१२",  # Devanagari
        "-3",
        "+3",
        "0",
        "2147483648",  # one past PostgreSQL's integer
        "99999999999999999999",
        "9" * 5000,  # past Python's int() digit limit as well
        "1.5",
        "1e3",
        "12a",
        "1 2",
        "",
        "   ",
    ],
)
def test_anything_else_is_refused_with_what_was_typed_the_range_and_an_example(typed):
    with pytest.raises(NumberError) as refused:
        PRACTICE.read(typed)
    message = str(refused.value)
    assert "from 1 to 2,147,483,647, e.g. 12" in message
    assert "digits 0–9" in message
    if typed.strip():
        assert message.startswith(f"“{typed.strip()}” is not a practice number")
    else:
        assert message.startswith("Give a practice number")


def test_the_refusal_quotes_what_the_person_typed_as_a_whole():
    event = WholeNumber("an event id", 1, MAX_ID, "W12")
    with pytest.raises(NumberError, match=r"^“W²” is not an event id: .* e\.g\. W12\.$"):
        event.read("²", shown="W²")


def test_years_are_shown_without_a_thousands_separator():
    with pytest.raises(NumberError, match=r"from 1950 to 2026, e\.g\. 2011"):
        WholeNumber("a year", 1950, 2026, "2011").read("1800")


@pytest.mark.parametrize(
    ("text", "meant"),
    [("12", True), ("²", True), ("①", True), ("１２", True), ("-3", True), ("#4", True),
     ("W12", False), ("twelve", False), ("", False), ("-", False), ("1.5", False)],
)  # fmt: skip
def test_what_looks_like_a_number(text, meant):
    assert looks_like_number(text) is meant


def test_foreign_digits_are_found_and_0_to_9_are_not():
    assert foreign_digits("15 Dec 10:00") == ""
    assert foreign_digits("１５ Dec ²⁰²⁶ ①") == "１５²⁰²⁶①"


@pytest.mark.parametrize(
    ("cell", "number"),
    [("12", 12.0), ("-1.5", -1.5), (" 1 234,5 ", 1234.5), ("12%", 12.0), (7, 7.0),
     ("１２", None), ("١٢", None), ("²", None), ("①", None), ("twelve", None)],
)  # fmt: skip
def test_figures_in_imported_cells_take_the_digits_0_to_9_only(cell, number):
    assert parse_number(cell, decimal_comma=True) == number
