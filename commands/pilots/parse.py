"""Reading pilot updates out of what people write: pure functions, no database.

``update skills: Teacher training held [on track] [M2]``
  - ``update <pilot>:`` logs anywhere the bot listens; ``update:`` only in a linked channel;
  - ``[on track]`` / ``[delayed]`` / ``[done]`` set the status;
  - ``[M2]`` / ``[milestone 2]`` refers to the pilot's milestone number 2.
Anything else is ordinary conversation and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commands.errors import CommandError
from commands.numbers import read_number
from storage.numbers import WholeNumber, looks_like_number
from storage.text import fold

# Labels as people read them, by stored status.
STATUS_LABELS = {"on_track": "on track", "delayed": "delayed", "done": "done"}
_STATUS_WORDS = {
    "on track": "on_track",
    "ontrack": "on_track",
    "delayed": "delayed",
    "delay": "delayed",
    "late": "delayed",
    "done": "done",
    "completed": "done",
    "complete": "done",
}

# Pilot names are short ("skills", "open innovation"); a long phrase before the colon is a
# sentence ("Update from the meeting with the ministry yesterday: …"), not a pilot.
MAX_PILOT_WORDS = 5
MAX_PILOT_CHARACTERS = 60

_LOOKS_LIKE_UPDATE = re.compile(r"^\s*update\s*(?::|\s+\S)", re.IGNORECASE)
_NAMED = re.compile(r"^\s*update\s+(?P<pilot>[^:\n]+?)\s*:(?P<body>.*)\Z", re.IGNORECASE | re.S)
_UNNAMED = re.compile(r"^\s*update\s*:(?P<body>.*)\Z", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"\[\s*([^\[\]\n]{1,40}?)\s*\]")
MILESTONE_NUMBER = WholeNumber("a milestone number", 1, 9999, "M2")
# Read from the text as typed, not folded: folding turns "M²" and "M①" into "m2" and "m1".
_MILESTONE_TAG = re.compile(r"^(?:milestone|m)\s*(?P<number>\S+)$", re.IGNORECASE)
_MILESTONE_REF = re.compile(r"^#?(?:milestone|m)?\s*(?P<number>\S+)$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]{2,}")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class UpdateText:
    """An update as written: which pilot it names (None: the channel's), what it says, tags."""

    pilot: str | None
    text: str
    status: str | None = None
    milestone: int | None = None
    # Tags that contradict each other ("[done] [delayed]"); the first one is kept.
    conflicts: tuple[str, ...] = ()
    # Why a milestone tag cannot be read ("[M²]", "[M0]"); the tag is then left out.
    milestone_problem: str | None = None


def looks_like_update(text: str) -> bool:
    """A cheap first look: could this message be an update at all?"""
    return bool(_LOOKS_LIKE_UPDATE.match(text))


def parse_update(text: str) -> UpdateText | None:
    """The update in a message, or None when the message is ordinary conversation."""
    unnamed = _UNNAMED.match(text)
    if unnamed:
        return read_tags(unnamed.group("body"), pilot=None)
    named = _NAMED.match(text)
    if not named:
        return None
    pilot = named.group("pilot").strip()
    if len(pilot) > MAX_PILOT_CHARACTERS or len(pilot.split()) > MAX_PILOT_WORDS:
        return None
    return read_tags(named.group("body"), pilot=pilot)


def read_tags(body: str, *, pilot: str | None) -> UpdateText:
    """Take status and milestone tags out of the text; unknown [brackets] stay as written."""
    status: str | None = None
    milestone: int | None = None
    conflicts: list[str] = []
    problem: str | None = None

    def take(found: re.Match[str]) -> str:
        nonlocal status, milestone, problem
        word = fold(found.group(1))
        if word in _STATUS_WORDS:
            if status is None:
                status = _STATUS_WORDS[word]
            elif _STATUS_WORDS[word] != status:
                conflicts.append(found.group(0))
            return " "
        try:
            number = _milestone_number(_MILESTONE_TAG, found.group(1))
        except CommandError as error:
            problem = problem or error.message
            return " "
        if number is not None:
            if milestone is None:
                milestone = number
            elif number != milestone:
                conflicts.append(found.group(0))
            return " "
        return found.group(0)

    cleaned = _TAG.sub(take, body)
    lines = [_SPACES.sub(" ", line).strip() for line in cleaned.strip().splitlines()]
    return UpdateText(
        pilot=pilot,
        text="\n".join(lines).strip(),
        status=status,
        milestone=milestone,
        conflicts=tuple(conflicts),
        milestone_problem=problem,
    )


def parse_status(word: str) -> str | None:
    """A status as typed in a form or command ("on track", "On-track", "done")."""
    return _STATUS_WORDS.get(fold(word))


def parse_milestone_ref(value: str, *, usage: str | None = None) -> int | None:
    """``M2``, ``m 2``, ``2``, ``milestone 2``, ``#2`` -> 2; None when ``value`` is no
    milestone reference. A reference whose number is not a good one ("M²") is refused."""
    return _milestone_number(_MILESTONE_REF, value, usage=usage)


def _milestone_number(
    pattern: re.Pattern[str], value: str, *, usage: str | None = None
) -> int | None:
    found = pattern.match(value.strip())
    if found is None or not looks_like_number(found["number"]):
        return None
    return read_number(MILESTONE_NUMBER, found["number"], usage=usage, shown=value.strip())


def split_pilot(arguments: str, spellings: set[str]) -> tuple[str, str]:
    """Split ``<pilot>[:] <text>`` into the pilot as typed and the rest.

    A pilot named exactly before a colon wins; then the longest run of leading words that is
    exactly a pilot's name or keyword ("open innovation Workshop held", even when the text
    has a colon of its own); then whatever short phrase stands before a colon, and finally
    the first word, so that a typo is still resolved or reported.
    """
    stripped = arguments.strip()
    before, colon, after = stripped.partition(":")
    if colon and fold(before) in spellings:
        return before.strip(), after.strip()
    words = list(_WORD.finditer(stripped))
    for count in range(min(MAX_PILOT_WORDS, len(words)), 0, -1):
        end = words[count - 1].end()
        if fold(stripped[:end]) in spellings:
            return stripped[:end], stripped[end:].strip()
    if colon and before.strip() and len(before.split()) <= MAX_PILOT_WORDS:
        return before.strip(), after.strip()
    if not words:
        return "", ""
    return words[0].group(0), stripped[words[0].end() :].strip()
