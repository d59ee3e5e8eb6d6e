"""Reading the ``<when>`` people type: ISO 8601, day-first dates, natural language.

A time without a zone is read in the author's zone. Anything in the past, unreadable,
ambiguous (a bare number, a date without a time where a time is needed, a wall-clock time
that a daylight-saving change skips or repeats) is refused with an example that works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from commands.errors import CommandError
from commands.numbers import refuse_foreign_digits

EXAMPLES = "15 Dec 17:00, 10/12/2026 14:00, next Friday 10:00, in 2 weeks, 2026-12-15T17:00"
# Further ahead than this is almost always a misreading ("10 Dec at 10" read as the year 2110).
MAX_YEARS_AHEAD = 5
# A deadline given as a day is due at the end of that day, in the author's zone.
END_OF_DAY = (23, 59)

_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$", re.ASCII)
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$", re.ASCII
)


class WhenError(CommandError):
    """The time could not be accepted; the message says why and gives examples."""


@dataclass(frozen=True)
class Moment:
    at: datetime  # timezone-aware
    timezone: str  # the zone it was meant in; reminders and calendars use it
    has_time: bool  # False when only a day was given (and an end-of-day time was assumed)


def _refuse(message: str) -> WhenError:
    return WhenError(f"{message} Write it like: {EXAMPLES}.")


def zoned(wall: datetime, zone: ZoneInfo, typed: str) -> datetime:
    """Attach ``zone`` to a wall-clock time, refusing times a daylight-saving change skips
    (02:30 on a spring-forward night) or repeats (02:30 on a fall-back night)."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Round-tripping through UTC shows whether the wall time exists at all.
        exists = first.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) == wall
        if not exists:
            raise _refuse(
                f"“{typed}” does not exist in {zone.key}: the clocks skip that hour "
                "for daylight saving. Pick a time outside it."
            )
        raise _refuse(
            f"“{typed}” happens twice in {zone.key}: the clocks go back that night. "
            "Pick a time outside that hour, or give the offset (`+01:00`)."
        )
    return first


def _iso(typed: str, zone: ZoneInfo) -> tuple[datetime, bool] | None:
    cleaned = typed.strip().replace(" ", "T", 1) if " " in typed.strip() else typed.strip()
    if not _ISO.match(typed.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise _refuse(f"“{typed}” is not a valid date ({error}).") from error
    has_time = "T" in cleaned
    if parsed.tzinfo is None:
        return zoned(parsed, zone, typed), has_time
    return parsed, has_time


def _natural(typed: str, zone: ZoneInfo, now: datetime) -> tuple[datetime, bool] | None:
    from dateparser.date import DateDataParser  # heavy; only commands that read times need it

    local_now = now.astimezone(zone).replace(tzinfo=None)
    parser = DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now,
            "RETURN_TIME_AS_PERIOD": True,
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    data = parser.get_date_data(typed)
    if data.date_obj is None:
        return None
    if data.period in {"month", "year"}:
        raise _refuse(f"“{typed}” names a {data.period}, not a day.")
    has_time = data.period == "time"
    parsed = data.date_obj
    if parsed.tzinfo is not None:  # the text named a zone or an offset ("17:00 GMT")
        return parsed, has_time
    if has_time and data.period == "time" and _is_relative(typed):
        # "in 10 seconds" is measured from now, whatever the wall clock does meanwhile.
        return now + (parsed - local_now), True
    return zoned(parsed, zone, typed), has_time


_RELATIVE = re.compile(r"\b(in|ago|from now)\b", re.IGNORECASE)
_CLOCK = re.compile(r"\d[:.h]\d|\d\s*(am|pm)\b|\bnoon\b|\bmidnight\b", re.IGNORECASE)


def _is_relative(typed: str) -> bool:
    return bool(_RELATIVE.search(typed)) and not _CLOCK.search(typed)


def parse_when(typed: str, *, now: datetime, timezone: str, needs_time: bool) -> Moment:
    """The moment ``typed`` means, read in ``timezone`` relative to ``now``.

    ``needs_time``: a workshop needs a start time; a deadline given as a day is due at the
    end of that day.
    """
    typed = " ".join(typed.split())
    if not typed:
        raise _refuse("Say when.")
    refuse_foreign_digits(typed, what="dates and times", example="15 Dec 17:00")
    if _BARE_NUMBER.match(typed):
        raise _refuse(f"“{typed}” could be a day, an hour or a year.")
    zone = ZoneInfo(timezone)
    found = _iso(typed, zone) or _natural(typed, zone, now)
    if found is None:
        raise _refuse(f"I cannot read “{typed}” as a date and time.")
    at, has_time = found
    if not has_time:
        if needs_time:
            raise WhenError(
                f"“{typed}” gives a day but no time; say when it starts, "
                "e.g. 15 Dec 10:00, next Friday 14:30, in 2 weeks at 10:00."
            )
        day = at.astimezone(zone) if at.tzinfo else at
        wall = datetime(day.year, day.month, day.day, *END_OF_DAY)
        at = zoned(wall, zone, typed)
    if at <= now:
        shown = at.astimezone(zone).strftime("%a %d %b %Y, %H:%M %Z")
        raise _refuse(f"“{typed}” is in the past ({shown}).")
    if at > now + timedelta(days=365 * MAX_YEARS_AHEAD):
        shown = at.astimezone(zone).strftime("%d %b %Y")
        raise _refuse(f"“{typed}” reads as {shown}, more than {MAX_YEARS_AHEAD} years ahead.")
    return Moment(at=at, timezone=timezone, has_time=has_time)
