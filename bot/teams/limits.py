"""Adaptive Card size budget: cards are cut to fit before sending, never rejected by Teams.

Teams takes bot messages of about 100 KB, but incoming webhooks and some clients choke well
before that; 28 KB per card is safe everywhere. Text pieces are capped too, so that one
oversized paragraph or cell cannot eat the budget of everything after it.
"""

from __future__ import annotations

import json
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


def split_lines(value: str, limit: int = MAX_TEXT_BLOCK) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at line breaks where there are any."""
    pieces: list[str] = []
    for line in value.split("\n"):
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        if pieces and len(pieces[-1]) + 1 + len(line) <= limit:
            pieces[-1] = f"{pieces[-1]}\n{line}"
        else:
            pieces.append(line)
    return [piece for piece in pieces if piece.strip()]


@dataclass
class Unit:
    """Card elements that stand or fall together, and how many answer items they carry."""

    elements: list[Element] = field(default_factory=list)
    items: int = 1


def more_element(dropped: int) -> Element:
    return {"type": "TextBlock", "text": f"…and {dropped} more", "isSubtle": True, "wrap": True}


def fit(card: dict[str, Any], head: list[Element], body: list[Unit], tail: list[Element]) -> None:
    """Fill ``card["body"]`` with head, as much of body as fits, and tail (footnotes).

    What is cut from the end is summed up as "…and N more", N counting the items dropped.
    """
    everything = [*head, *(e for unit in body for e in unit.elements), *tail]
    card["body"] = everything
    if size(card) <= MAX_CARD_BYTES:
        return
    card["body"] = [*head, more_element(10**6), *tail]
    room = MAX_CARD_BYTES - size(card)
    kept: list[Element] = []
    for index, unit in enumerate(body):
        needed = sum(size(e) + 1 for e in unit.elements)
        if needed > room:
            dropped = sum(u.items for u in body[index:])
            more = [more_element(dropped)] if dropped else []
            card["body"] = [*head, *kept, *more, *tail]
            return
        kept += unit.elements
        room -= needed
    card["body"] = [*head, *kept, *tail]
