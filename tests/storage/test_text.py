"""Cleaning user text: what goes, what stays, and why."""

from __future__ import annotations

import pytest

from storage.text import clean_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("a\x00b", "ab"),  # NUL: PostgreSQL refuses it in text
        ("".join(chr(c) for c in range(32)), "\t\n\n"),  # C0 but tab, newline (and CR: one)
        ("a\x7fb", "ab"),  # DEL
        ("".join(chr(c) for c in range(0x80, 0xA0)), "\n"),  # C1 controls; NEL is a line break
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),  # no terminal escapes reach the console
        ("a\ud800b\udfffc", "abc"),  # lone surrogates: UTF-8 cannot encode them
        ("abc\u202edef\u202c", "abcdef"),  # bidi override: would reverse what follows
        ("\u2066x\u2067y\u2068z\u2069\u202a\u202b\u202d", "xyz"),  # isolates and embeddings
        ("\ufeffLimburg", "Limburg"),  # byte order mark
    ],
)
def test_what_is_removed(typed, kept):
    assert clean_text(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("one\r\ntwo\rthree\u2028four\u2029five\x85six", "one\ntwo\nthree\nfour\nfive\nsix"),
        ("a\tb\nc", "a\tb\nc"),
    ],
)
def test_line_breaks_become_newlines_and_tabs_stay(typed, kept):
    assert clean_text(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "Ústí nad Labem, Łódź, Straße, Ærø",
        "👩\u200d🔬 family 👨\u200d👩\u200d👧",  # zero-width joiners hold emoji together
        "می\u200cخواهم",  # zero-width non-joiner: Persian spelling
        "\u200fשלום\u200e",  # direction marks: no reach beyond themselves
        "co\u00adoperation",  # soft hyphen
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # a flag's tag letters
        "２０１２ ² ①",  # digits of other kinds are text; numbers refuse them, not cleaning
    ],
)
def test_what_people_write_stays(typed):
    assert clean_text(typed) == typed
