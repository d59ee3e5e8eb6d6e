"""Reminder lead times: ``7d,1d,1h`` <-> minutes before the event."""

from __future__ import annotations

import re

from commands.errors import CommandError
from commands.numbers import read_number
from storage.numbers import WholeNumber

UNITS = {"m": 1, "h": 60, "d": 60 * 24, "w": 60 * 24 * 7}
UNIT_WORDS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}
WORKSHOP_LEADS = (7 * 1440, 1440, 60)
DEADLINE_LEADS = (14 * 1440, 3 * 1440, 1440, 0)
MAX_LEADS = 8
MAX_LEAD_MINUTES = 26 * UNITS["w"]  # half a year
LEADS_USAGE = "remind 7d,1d,1h  (m minutes, h hours, d days, w weeks; 0m = at the time itself)"

_LEAD = re.compile(r"^(?P<count>.+?)\s*(?P<unit>[mhdw])$")


def parse_leads(typed: str) -> tuple[int, ...]:
    """``"7d, 1d,1h"`` -> ``(10080, 1440, 60)``, largest first, without repeats."""
    items = [item.strip().lower() for item in typed.split(",")]
    if not typed.strip() or any(not item for item in items):
        raise CommandError("Give the lead times as a comma list, e.g. 7d,1d,1h.", usage=LEADS_USAGE)
    minutes: set[int] = set()
    for item in items:
        found = _LEAD.match(item)
        if not found:
            raise CommandError(
                f"“{item}” is not a lead time: write a number and a unit, e.g. 30m, 2h, 1d, 1w.",
                usage=LEADS_USAGE,
            )
        unit = found["unit"]
        count = read_number(_lead_count(unit), found["count"], usage=LEADS_USAGE, shown=item)
        minutes.add(count * UNITS[unit])
    if len(minutes) > MAX_LEADS:
        raise CommandError(f"At most {MAX_LEADS} reminders per event.", usage=LEADS_USAGE)
    return tuple(sorted(minutes, reverse=True))


def _lead_count(unit: str) -> WholeNumber:
    """How many of ``unit`` a lead time may have: up to half a year (26w, 182d, 4368h)."""
    return WholeNumber(
        f"a lead time in {UNIT_WORDS[unit]}s", 0, MAX_LEAD_MINUTES // UNITS[unit], f"2{unit}"
    )


def short_lead(minutes: int) -> str:
    """10080 -> "7d", 90 -> "90m", 0 -> "0m": days or hours where they divide evenly.

    Weeks are shown as days ("14d"), the way the defaults and most people count them.
    """
    for unit in ("d", "h"):
        if minutes and minutes % UNITS[unit] == 0:
            return f"{minutes // UNITS[unit]}{unit}"
    return f"{minutes}m"


def format_leads(minutes: tuple[int, ...] | list[int]) -> str:
    return ",".join(short_lead(m) for m in minutes) if minutes else "none"


def describe_lead(minutes: int) -> str:
    """60 -> "in 1 hour", 0 -> "now" — how a reminder announces the time left."""
    if minutes == 0:
        return "now"
    short = short_lead(minutes)
    count, unit = int(short[:-1]), short[-1]
    word = UNIT_WORDS[unit] + ("" if count == 1 else "s")
    return f"in {count} {word}"
