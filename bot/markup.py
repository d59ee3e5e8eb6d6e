"""What the Slack and Teams renderers share about inline markup."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from commands.reply import Inline, Text, UserRef


def wrap_tight(marker: str, value: str, escape: Callable[[str], str]) -> str:
    """``marker`` around the words of ``value`` (bold, code); surrounding spaces stay outside,
    because both Slack's mrkdwn and Markdown ignore a marker that touches a space."""
    core = value.strip()
    if not core:
        return escape(value)
    lead = value[: len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()) :]
    return f"{lead}{marker}{escape(core)}{marker}{trail}"


# Fitting text to a platform's limits -------------------------------------------------------
#
# Text is cut between its pieces, or inside a piece of plain text before it is escaped, so a
# cut never falls inside a mention, a link, a date or an escape sequence.

Render = Callable[[Inline], str]
Measure = Callable[[str], int]
Shown = TypeVar("Shown")
_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class TextPiece(Generic[Shown]):
    """One platform-sized piece of a paragraph: as shown, the answer items it carries, and
    the same piece cut down to a budget (with the items that left out), or None."""

    shown: Shown
    items: int
    shrink: Callable[[int], tuple[Shown, int] | None]


def paragraph_pieces(
    value: Text,
    render: Render,
    limit: int,
    *,
    build: Callable[[str, bool], Shown],
    cost: Callable[[Shown], int],
    measure: Measure = len,
) -> list[TextPiece[Shown]]:
    """A paragraph split to ``limit`` (see ``split_text``); ``build(text, is_last)`` makes
    the platform's element of a piece and ``cost`` says what it takes of a budget."""
    chunks = split_text(value, render, limit, measure=measure) or [(" ",)]

    def clipped(chunk: Text, last: bool) -> Callable[[int], tuple[Shown, int] | None]:
        def shrink(budget: int) -> tuple[Shown, int] | None:
            room = budget - cost(build("", last))
            shown = build(clip_text(chunk, render, room, measure=measure), last)
            return (shown, 0) if cost(shown) <= budget else None

        return shrink

    pieces = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        rendered = "".join(render(piece) for piece in chunk)
        # Only a paragraph's first piece counts as an item: the rest is not another one.
        pieces.append(TextPiece(build(rendered, last), int(index == 0), clipped(chunk, last)))
    return pieces


def clip_text(value: Text, render: Render, limit: int, *, measure: Measure = len) -> str:
    """``value`` rendered within ``limit``: as many pieces as fit, then "…and N more" when
    people (mentions) are left out, else "…"."""
    rendered = [render(piece) for piece in value]
    whole = "".join(rendered)
    if measure(whole) <= limit:
        return whole
    # Measures add up over concatenation (characters, JSON bytes), so the kept text and the
    # people still to come are counted as the loop goes: a list of 2,000 people is cut in
    # one pass, not by measuring every longer start of it again.
    people_from = [0] * (len(value) + 1)
    for index in range(len(value) - 1, -1, -1):
        people_from[index] = people_from[index + 1] + isinstance(value[index], UserRef)
    kept: list[str] = []
    used = 0
    for index, piece in enumerate(value):
        size = measure(rendered[index])
        # The suffix counts this piece too: what is finally dropped is never more.
        if used + size + measure(_people_suffix(people_from[index])) <= limit:
            kept.append(rendered[index])
            used += size
            continue
        dropped = value[index:]
        if isinstance(piece, str):
            room = limit - used - measure(_people_suffix(people_from[index + 1]))
            part = _prefix_within(piece, render, room, measure).rstrip()
            if part:
                kept.append(render(part))
                dropped = value[index + 1 :]
        return _ended("".join(kept), dropped)
    return "".join(kept)


def split_text(value: Text, render: Render, limit: int, *, measure: Measure = len) -> list[Text]:
    """``value`` in pieces that each render within ``limit``: whole lines together where
    they fit, a longer line between words, a longer word inside it."""
    newline = measure(render("\n"))
    chunks: list[Text] = []
    current: list[Inline] = []
    used = 0

    def close() -> None:
        nonlocal current, used
        if current:
            chunks.append(tuple(current))
        current, used = [], 0

    for line in _lines(value):
        size = sum(measure(render(piece)) for piece in line)
        if current and used + newline + size <= limit:
            current += ["\n", *line]
            used += newline + size
            continue
        close()
        if size <= limit:
            current, used = list(line), size
            continue
        for word in _words(line):
            for part in _parts_within(word, render, limit, measure):
                part_size = measure(render(part))
                if used + part_size > limit:
                    close()
                current.append(part)
                used += part_size
    close()
    return chunks


def equal_cap(sizes: list[int], budget: int) -> int:
    """The largest share that, given to each size larger than it, keeps the sum in ``budget``:
    short items stay whole and long ones are cut to the same length."""
    low, high = 0, max(sizes, default=0)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(size, middle) for size in sizes) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _suffix(dropped: Text) -> str:
    return _people_suffix(sum(isinstance(piece, UserRef) for piece in dropped))


def _people_suffix(people: int) -> str:
    return f" …and {people} more" if people else "…"


def _ended(kept: str, dropped: Text) -> str:
    suffix = _suffix(dropped)
    # A list cut after its separator ("Ada, ") reads better without it.
    return (kept.rstrip(" ,;·\n") if suffix != "…" else kept.rstrip()) + suffix


def _prefix_within(piece: str, render: Render, room: int, measure: Measure) -> str:
    """The longest start of ``piece`` that renders within ``room``, ended at a space when
    one is near the end."""
    low, high = 0, len(piece)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(render(piece[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    space = piece.rfind(" ", 0, low + 1)
    return piece[:space] if space > low // 2 and low < len(piece) else piece[:low]


def _parts_within(word: Inline, render: Render, limit: int, measure: Measure) -> list[Inline]:
    if not isinstance(word, str) or measure(render(word)) <= limit:
        return [word]
    parts = []
    while word:
        part = _prefix_within(word, render, limit, measure) or word[:1]
        parts.append(part)
        word = word[len(part) :]
    return parts


def _lines(value: Text) -> Iterator[list[Inline]]:
    line: list[Inline] = []
    for piece in value:
        if isinstance(piece, str) and "\n" in piece:
            first, *others = piece.split("\n")
            if first:
                line.append(first)
            for other in others:
                yield line
                line = [other] if other else []
        else:
            line.append(piece)
    yield line


def _words(line: list[Inline]) -> Iterator[Inline]:
    for piece in line:
        if isinstance(piece, str):
            yield from _WORDS.findall(piece)
        else:
            yield piece
