"""Text folding: the form in which names are compared, whatever the user's keyboard."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = str.maketrans({"ł": "l", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Lower-case; strip accents, punctuation, extra spaces: ``Ústí-Kraj`` -> ``usti kraj``."""
    if text.isascii():  # most text has no accents: skip the per-letter work (10x faster)
        return _NOT_WORD.sub(" ", text.lower()).strip()
    lowered = text.casefold().translate(_SPECIAL_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", without_accents).strip()
