"""Splitting ``/workshop add`` and ``/deadline add`` text into its clauses.

``"<title>" <when> [at <place>] [pilot <pilot>] [remind <leads>]`` and
``"<title>" <when> [for <region>, <region>… | all] [remind <leads>]``. The title is quoted
(straight or typographic quotes, as Slack sends them); a clause value may be quoted too when
it contains a keyword (``at "Pilot hall, Leuna"``). An ``at`` followed by a clock time belongs
to the time (``next Friday at 10:00``), not the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from commands.errors import CommandError
from commands.numbers import read_number
from storage.numbers import MAX_ID, WholeNumber, looks_like_number

WORKSHOP_ADD_USAGE = (
    '/workshop add "<title>" <when> [at <place>] [pilot <pilot>] [remind <leads>]\n'
    'e.g. /workshop add "Open innovation workshop" 15 Dec 10:00 at Chemelot pilot open '
    "innovation remind 7d,1d"
)
DEADLINE_ADD_USAGE = (
    '/deadline add "<title>" <when> [for <region>, <region>… | all] [remind <leads>]\n'
    'e.g. /deadline add "Benchmark data 2012" 15 Dec 17:00 for Limburg, NRW remind 3d,1d,0m'
)
MAX_TITLE = 200
MAX_PLACE = 300

_TOKEN = re.compile(r'"[^"]*"?|“[^”]*”?|„[^“”]*[“”]?|\S+')
_QUOTES = '"“”„'
_CLOCK_AFTER_AT = re.compile(
    r"^(\d{1,2}([:.h]\d{2})?\s*(am|pm)?|noon|midnight)(\s|$)", re.IGNORECASE
)


@dataclass
class AddRequest:
    title: str
    when: str
    kind: str
    clauses: dict[str, str] = field(default_factory=dict)  # keyword -> value as typed


def _unquote(token: str) -> str:
    return token.strip(_QUOTES).strip()


def _is_quoted(token: str) -> bool:
    return len(token) >= 2 and token[0] in _QUOTES and token[-1] in _QUOTES


def split_add(arguments: str, *, kinds: tuple[str, ...], keywords: tuple[str, ...], usage: str):
    """The title, the time, and each keyword's clause; ``kinds[0]`` is the default kind."""
    tokens = _TOKEN.findall(arguments.strip())
    kind = kinds[0]
    if tokens and tokens[0].lower() in kinds[1:]:
        kind = tokens.pop(0).lower()
    if not tokens or not _is_quoted(tokens[0]):
        raise CommandError(
            "Put the title in quotes, then say when.",
            usage=usage,
        )
    title = _unquote(tokens.pop(0))
    if not title:
        raise CommandError("The title is empty.", usage=usage)
    if len(title) > MAX_TITLE:
        raise CommandError(f"The title is too long ({len(title)} characters, max {MAX_TITLE}).")
    when: list[str] = []
    clauses: dict[str, list[str]] = {}
    current = when
    for index, token in enumerate(tokens):
        word = token.lower()
        rest = " ".join(tokens[index + 1 :])
        starts_clause = word in keywords and not _is_quoted(token)
        if word == "at" and current is when and _CLOCK_AFTER_AT.match(rest):
            starts_clause = False
        if starts_clause:
            if word in clauses:
                raise CommandError(f"“{word}” is given twice.", usage=usage)
            clauses[word] = []
            current = clauses[word]
            continue
        current.append(_unquote(token) if _is_quoted(token) else token)
    for word, value in clauses.items():
        if not value:
            raise CommandError(f"Say what comes after “{word}”.", usage=usage)
    if not when:
        raise CommandError(f"Say when “{title}” is.", usage=usage)
    return AddRequest(
        title=title,
        when=" ".join(when),
        kind=kind,
        clauses={word: " ".join(value) for word, value in clauses.items()},
    )


def split_ref(arguments: str) -> tuple[str, str]:
    """``"W12 next Friday"`` -> ``("W12", "next Friday")``."""
    ref, _, rest = arguments.strip().partition(" ")
    return ref, rest.strip()


EVENT_NUMBER = WholeNumber("an event id", 1, MAX_ID, "W12")
LIST_PAGE = WholeNumber("a page number", 1, MAX_ID, "2")
_REF = re.compile(r"^#?(?:(?P<letter>[A-Za-z])-?)?(?P<number>.+)$")


def parse_ref(typed: str, *, usage: str) -> tuple[str | None, int] | None:
    """``W12`` -> ``("W", 12)``, ``12`` or ``#12`` -> ``(None, 12)``; None if not an id.

    An id whose number is not a good one ("W²", "D-3", "W99999999999") is refused as such.
    """
    found = _REF.match(typed.strip())
    if not found or not looks_like_number(found["number"]):
        return None
    number = read_number(EVENT_NUMBER, found["number"], usage=usage, shown=typed.strip())
    letter = found["letter"].upper() if found["letter"] else None
    return letter, number
