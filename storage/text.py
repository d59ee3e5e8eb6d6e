"""Text as people send it: cleaned of what no reader should get, and folded for comparing."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Carriage returns (Windows, some clients send CRLF), NEL and the Unicode line and paragraph
# separators all mean a new line.
_LINE_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_UNWANTED = re.compile(
    "["
    # C0 controls but tab and newline, DEL and the C1 controls: invisible, meaningless in
    # chat, and PostgreSQL refuses NUL in text while SQLite stores it.
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    # Lone surrogates: half a character (JSON "\\ud800"); UTF-8 cannot encode them.
    "\ud800-\udfff"
    # Bidi embeddings, overrides and isolates: unclosed, they reverse how the rest of the
    # bot's message reads ("Trojan Source"). The marks LRM/RLM have no such reach and stay.
    "\u202a-\u202e\u2066-\u2069"
    # Byte order mark / zero-width no-break space: an invisible character that makes
    # equal-looking names differ.
    "\ufeff"
    "]"
)
# Letters that Unicode does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = str.maketrans({"ł": "l", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})


def clean_text(text: str) -> str:
    """User text as it may be stored and shown: line breaks as ``\\n``, without control
    characters but tab and newline, lone surrogates, bidi overrides and byte order marks.

    Other format characters stay: the zero-width joiners hold emoji and scripts together,
    soft hyphens and direction marks are harmless. Applied where text enters (the core's
    entry points, cells of imported files), so both databases store the same thing.
    """
    return _UNWANTED.sub("", _LINE_BREAKS.sub("\n", text))


def fold(text: str) -> str:
    """Lower-case; strip accents, punctuation, extra spaces: ``Ústí-Kraj`` -> ``usti kraj``."""
    if text.isascii():  # most text has no accents: skip the per-letter work (10x faster)
        return _NOT_WORD.sub(" ", text.lower()).strip()
    lowered = text.casefold().translate(_SPECIAL_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", without_accents).strip()
