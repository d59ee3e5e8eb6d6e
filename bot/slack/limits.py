"""Block Kit limits, checked before anything is sent (Slack rejects rather than trims)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_BLOCKS = 50
# A Home tab's view holds twice as many blocks as a message.
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
# Undocumented: messages whose blocks carry about 12-13k characters fail with
# msg_blocks_too_long; stay below it.
MAX_TOTAL_TEXT = 12_000
MAX_FALLBACK_TEXT = 4000

ELLIPSIS = "…"
Block = dict[str, Any]


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + ELLIPSIS


def texts(block: Block) -> Iterator[str]:
    """Every string a block shows, wherever it sits."""
    for key, value in block.items():
        if key == "text" and isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from texts(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from texts(item)


def text_size(blocks: Iterable[Block]) -> int:
    return sum(len(t) for block in blocks for t in texts(block))


# The block cut down to at most the given characters of text, and how many of its items that
# left out; None when nothing worth showing fits.
Shrink = Callable[[int], "tuple[Block, int] | None"]


@dataclass(frozen=True)
class Unit:
    """A block and how many items of the answer it carries (table rows, fields, one paragraph),
    and how to cut it down when it does not fit whole."""

    block: Block
    items: int = 1
    shrink: Shrink | None = None


_MORE_RESERVE = 40  # characters kept free for "…and N more"
# Below this, a cut-down block says too little to be worth its place.
MIN_SHRUNK_TEXT = 60


def more_block(dropped: int) -> Block:
    said = f"…and {dropped} more" if dropped else "…(cut to fit)"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": said}]}


def fit(
    head: list[Block], body: list[Unit], tail: list[Block], *, max_blocks: int = MAX_BLOCKS
) -> list[Block]:
    """Keep ``head`` and ``tail`` (heading, footnote) and as much of ``body`` as fits.

    A block too big for the room left is cut down (a list of people to "…and N more", a
    paragraph clipped), leaving room for what follows when that is small; what still does
    not fit is cut from the end and summed up as "…and N more", N counting the items dropped.
    """
    everything = [*head, *(unit.block for unit in body), *tail]
    if len(everything) <= max_blocks and text_size(everything) <= MAX_TOTAL_TEXT:
        return everything
    room_blocks = max_blocks - len(head) - len(tail) - 1
    room_text = MAX_TOTAL_TEXT - text_size(head) - text_size(tail) - _MORE_RESERVE
    kept: list[Block] = []
    used = dropped = 0
    for index, unit in enumerate(body):
        size = text_size([unit.block])
        if len(kept) < room_blocks and used + size <= room_text:
            kept.append(unit.block)
            used += size
            continue
        later = body[index + 1 :]
        budget = room_text - used
        later_size = text_size([u.block for u in later])
        if later and len(kept) + 1 + len(later) <= room_blocks and later_size <= budget // 2:
            budget -= later_size  # small enough: keep what follows whole
        shrunk = None
        if unit.shrink is not None and len(kept) < room_blocks and budget >= MIN_SHRUNK_TEXT:
            shrunk = unit.shrink(budget)
        if shrunk is None:
            dropped += sum(u.items for u in body[index:])
            return [*head, *kept, more_block(dropped), *tail]
        block, left_out = shrunk
        kept.append(block)
        used += text_size([block])
        dropped += left_out
    more = [more_block(dropped)] if dropped else []
    return [*head, *kept, *more, *tail]


def problems(blocks: list[Block], *, max_blocks: int = MAX_BLOCKS) -> list[str]:
    """What breaks a limit, described; empty when Slack will accept the blocks."""
    found = []
    if len(blocks) > max_blocks:
        found.append(f"{len(blocks)} blocks (max {max_blocks})")
    if text_size(blocks) > MAX_TOTAL_TEXT:
        found.append(f"{text_size(blocks)} characters of text (max {MAX_TOTAL_TEXT})")
    for number, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header" and len(block["text"]["text"]) > MAX_HEADER_TEXT:
            found.append(f"block {number}: header over {MAX_HEADER_TEXT}")
        if kind == "section":
            if "text" in block and len(block["text"]["text"]) > MAX_SECTION_TEXT:
                found.append(f"block {number}: section text over {MAX_SECTION_TEXT}")
            fields = block.get("fields", [])
            if len(fields) > MAX_FIELDS:
                found.append(f"block {number}: {len(fields)} fields (max {MAX_FIELDS})")
            if any(len(f["text"]) > MAX_FIELD_TEXT for f in fields):
                found.append(f"block {number}: a field over {MAX_FIELD_TEXT}")
        if kind == "context" and len(block["elements"]) > MAX_CONTEXT_ELEMENTS:
            found.append(f"block {number}: context over {MAX_CONTEXT_ELEMENTS} elements")
        if kind == "actions":
            elements = block["elements"]
            if len(elements) > MAX_ACTIONS_ELEMENTS:
                found.append(f"block {number}: actions over {MAX_ACTIONS_ELEMENTS} elements")
            ids = [e.get("action_id") for e in elements]
            if len(ids) != len(set(ids)):
                found.append(f"block {number}: repeated action_id")
    return found
