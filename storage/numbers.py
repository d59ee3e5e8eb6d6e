"""Whole numbers people type: the digits 0–9 only, within a stated range, or a clear refusal.

``str.isdigit`` accepts "²" and "①", ``int`` accepts "١٢" and "１２" and any length, and a
database integer stops at 2,147,483,647: every place that read numbers its own way let some
of these through to a crash or a silent misreading. Every number a person types (in a
command, a form, a button value, a file cell, a command-line option) is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# PostgreSQL's integer: no id or number the bot stores is larger.
MAX_ID = 2_147_483_647

_DIGITS = re.compile(r"[0-9]+")
_SIGNS = "+-−#"


class NumberError(ValueError):
    """The text is not a number of the kind asked for; the message says what would be."""


@dataclass(frozen=True)
class WholeNumber:
    """A kind of number people type: what it is called, its range, and how one looks."""

    what: str  # "a practice number", as a sentence names it
    low: int
    high: int
    example: str  # "12", "W12", "2014": written as people write it

    def read(self, typed: str, *, shown: str | None = None) -> int:
        """The number in ``typed``; ``shown`` is what a refusal quotes (the whole "W²")."""
        digits = typed.strip()
        if _DIGITS.fullmatch(digits) and len(digits.lstrip("0")) <= len(str(self.high)):
            value = int(digits)
            if self.low <= value <= self.high:
                return value
        raise NumberError(self.problem(typed if shown is None else shown))

    def problem(self, typed: str) -> str:
        rule = (
            f"write it with the digits 0–9, from {_shown(self.low)} to {_shown(self.high)}, "
            f"e.g. {self.example}"
        )
        if not typed.strip():
            return f"Give {self.what}: {rule}."
        return f"“{typed.strip()}” is not {self.what}: {rule}."


# An edition's or report's year, wherever one is typed.
YEAR = WholeNumber("a year", 1000, 9999, "2014")


def looks_like_number(text: str) -> bool:
    """Text meant as a number: digits of any script, superscripts, circled or fullwidth
    digits, perhaps signed. Read it as one (and refuse it if it is not a good one) rather than
    take it for a name."""
    body = text.strip().lstrip(_SIGNS)
    return bool(body) and all(ch.isnumeric() for ch in body)


def foreign_digits(text: str) -> str:
    """The characters in ``text`` that are numerals but not 0–9: "²", "①", "١", "２"."""
    return "".join(ch for ch in text if ch.isnumeric() and not "0" <= ch <= "9")


def _shown(number: int) -> str:
    # Years read better without a thousands separator; ids are easier to count with one.
    return str(number) if number < 10_000 else f"{number:,}"
