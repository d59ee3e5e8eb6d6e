"""Adaptive Card size budget: cards are cut to fit before sending, never rejected by Teams.

Teams takes bot messages of about 100 KB, but incoming webhooks and some clients choke well
before that; 28 KB per card is safe everywhere. Text pieces are capped too, so that one
oversized paragraph or cell cannot eat the budget of everything after it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_CARD_BYTES = 28_000
MAX_TEXT_BLOCK = 2_000  # characters per TextBlock; longer text is split at line breaks
MAX_FACT_VALUE = 1_000
MAX_FACT_TITLE = 200
MAX_CELL = 200
MAX_BUTTON_TITLE = 60
MAX_HEADING = 200
ELLIPSIS = "…"

Element = dict[str, Any]


def size(value: Any) -> int:
    """Bytes of the JSON Teams receives (compact, UTF-8)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + ELLIPSIS


def text_bytes(value: str) -> int:
    """Bytes a string adds to the card's JSON (escapes included, quotes not)."""
    return size(value) - 2


# The unit's elements cut down to at most the given bytes, and how many of its items that
# left out; None when nothing worth showing fits.
Shrink = Callable[[int], "tuple[list[Element], int] | None"]


@dataclass
class Unit:
    """Card elements that stand or fall together, how many answer items they carry, and how
    to cut them down when they do not fit whole."""

    elements: list[Element] = field(default_factory=list)
    items: int = 1
    shrink: Shrink | None = None


# Below this, cut-down elements say too little to be worth their place.
MIN_SHRUNK_BYTES = 200


def more_element(dropped: int) -> Element:
    said = f"…and {dropped} more" if dropped else "…(cut to fit)"
    return {"type": "TextBlock", "text": said, "isSubtle": True, "wrap": True}


def fit(card: dict[str, Any], head: list[Element], body: list[Unit], tail: list[Element]) -> None:
    """Fill ``card["body"]`` with head, as much of body as fits, and tail (footnotes).

    Elements too big for the room left are cut down (a list of people to "…and N more", a
    paragraph clipped), leaving room for what follows when that is small; what still does
    not fit is cut from the end and summed up as "…and N more", N counting the items dropped.
    """
    everything = [*head, *(e for unit in body for e in unit.elements), *tail]
    card["body"] = everything
    if size(card) <= MAX_CARD_BYTES:
        return
    card["body"] = [*head, more_element(10**6), *tail]
    room = MAX_CARD_BYTES - size(card)
    kept: list[Element] = []
    dropped = 0
    for index, unit in enumerate(body):
        cost = needed(unit.elements)
        if cost <= room:
            kept += unit.elements
            room -= cost
            continue
        later = body[index + 1 :]
        budget = room
        later_needed = sum(needed(u.elements) for u in later)
        if later and later_needed <= room // 2:
            budget -= later_needed  # small enough: keep what follows whole
        shrunk = unit.shrink(budget) if unit.shrink and budget >= MIN_SHRUNK_BYTES else None
        if shrunk is None:
            dropped += sum(u.items for u in body[index:])
            break
        elements, left_out = shrunk
        kept += elements
        room -= needed(elements)
        dropped += left_out
    more = [more_element(dropped)] if dropped else []
    card["body"] = [*head, *kept, *more, *tail]


def needed(elements: list[Element]) -> int:
    """Bytes the elements take of a card's body, each with its comma."""
    return sum(size(e) + 1 for e in elements)
