"""Numbers in commands, forms and buttons: read by ``storage.numbers``, refused as a
``CommandError`` that names what was typed, the range and an example.

The reader itself lives in ``storage`` because imported files carry numbers too and
``storage`` may not import ``commands``; commands use these two functions.
"""

from __future__ import annotations

from commands.errors import CommandError
from storage.numbers import NumberError, WholeNumber, foreign_digits


def read_number(
    kind: WholeNumber, typed: str, *, usage: str | None = None, shown: str | None = None
) -> int:
    """The number ``typed`` as ``kind`` allows it; ``shown`` is what a refusal quotes."""
    try:
        return kind.read(typed, shown=shown)
    except NumberError as error:
        raise CommandError(str(error), usage=usage) from None


def refuse_foreign_digits(typed: str, *, what: str, example: str, usage: str | None = None) -> None:
    """Dates and times are read by a library that takes "２" or "١" for digits (or not):
    refuse them before it guesses."""
    foreign = foreign_digits(typed)
    if foreign:
        raise CommandError(
            f"“{typed.strip()}” has numerals other than the digits 0–9 ({foreign}): "
            f"write {what} with 0–9, e.g. {example}.",
            usage=usage,
        )
