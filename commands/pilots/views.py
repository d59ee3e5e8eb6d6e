"""Pieces every pilot listing shows the same way: an update on one line, ages, labels."""

from __future__ import annotations

from datetime import datetime

from commands.pilots.parse import STATUS_LABELS
from commands.reply import Bold, Code, Inline, Link, Text, When, text
from storage.models import PilotUpdate

UNASSIGNED = "unassigned"
# Long updates are cut in listings; the link and the export carry the whole text.
LISTED_TEXT = 280


HOW_TO_WRITE = "update <pilot>: <what happened>"
# The line that reminds readers how updates get in, under every overview.
HOW_TO_LOG = text(
    "Log progress by writing ",
    Code(HOW_TO_WRITE),
    " in a channel the bot is in, or in a message to the bot.",
)


def counted(number: int, noun: str) -> str:
    """``1 update``, ``3 updates``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def clip(value: str, limit: int = LISTED_TEXT) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def region_label(update: PilotUpdate) -> str:
    return update.region.name if update.region is not None else UNASSIGNED


def author_label(update: PilotUpdate) -> str:
    return update.author_name or update.author_id


def tags(update: PilotUpdate) -> str:
    """``[on track] [M2] `` for the tags an update carries, or nothing."""
    found = []
    if update.status:
        found.append(f"[{STATUS_LABELS[update.status]}]")
    if update.milestone is not None:
        found.append(f"[{update.milestone.label}]")
    return " ".join(found) + " " if found else ""


def days_ago(now: datetime, then: datetime) -> int:
    return max(0, (now - then).days)


def age(now: datetime, then: datetime) -> str:
    days = days_ago(now, then)
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def link_to(update: PilotUpdate) -> tuple[Inline, ...]:
    return (" ", Link("open", update.permalink)) if update.permalink else ()


def update_line(update: PilotUpdate, *, timezone: str, show_pilot: bool = False) -> Text:
    """``28 Nov 2026 · Masovia · anna · [on track] Teacher training held … open``"""
    pieces: list[Inline] = [When(update.posted_at, timezone, "day"), " · "]
    if show_pilot:
        pieces += [update.pilot.name, " · "]
    pieces += [Bold(region_label(update)), f" · {author_label(update)} · "]
    pieces.append(tags(update) + clip(update.text))
    pieces += link_to(update)
    return tuple(pieces)
