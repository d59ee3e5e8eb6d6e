"""Reading <when>: day-first dates, natural language, zones, and clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commands.errors import CommandError
from commands.events.leads import format_leads, parse_leads
from commands.events.when import WhenError, parse_when

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # a Saturday, 11:00 in Brussels


def when(typed: str, *, zone: str = "Europe/Brussels", needs_time: bool = True) -> datetime:
    return parse_when(typed, now=NOW, timezone=zone, needs_time=needs_time).at.astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-15T17:00", datetime(2026, 12, 15, 16, 0, tzinfo=UTC)),
        ("2026-12-15 17:00", datetime(2026, 12, 15, 16, 0, tzinfo=UTC)),
        ("2026-12-15T17:00+00:00", datetime(2026, 12, 15, 17, 0, tzinfo=UTC)),
        ("2026-12-15T17:00Z", datetime(2026, 12, 15, 17, 0, tzinfo=UTC)),
        ("10/12/2026 14:00", datetime(2026, 12, 10, 13, 0, tzinfo=UTC)),  # 10 December
        ("15 Dec 17:00", datetime(2026, 12, 15, 16, 0, tzinfo=UTC)),
        ("next Friday 10:00", datetime(2026, 12, 4, 9, 0, tzinfo=UTC)),
        ("next Friday at 10:00", datetime(2026, 12, 4, 9, 0, tzinfo=UTC)),
        ("in 2 weeks at 10:00", datetime(2026, 12, 12, 9, 0, tzinfo=UTC)),
        ("tomorrow 9am", datetime(2026, 11, 29, 8, 0, tzinfo=UTC)),
        ("in 10 seconds", datetime(2026, 11, 28, 10, 0, 10, tzinfo=UTC)),
        ("in 1 hour", datetime(2026, 11, 28, 11, 0, tzinfo=UTC)),
    ],
)
def test_times_people_type(typed, expected):
    assert when(typed) == expected


def test_a_time_without_zone_is_the_authors_zone():
    assert when("15 Dec 17:00", zone="Europe/London") == datetime(2026, 12, 15, 17, 0, tzinfo=UTC)
    assert when("15 Dec 17:00", zone="Europe/Warsaw") == datetime(2026, 12, 15, 16, 0, tzinfo=UTC)


def test_summer_dates_get_summer_offsets():
    # Typed in winter for a date in summer: CEST (+02:00), not today's CET.
    assert when("15 Jun 2027 10:00") == datetime(2027, 6, 15, 8, 0, tzinfo=UTC)


def test_a_deadline_given_as_a_day_is_due_at_the_end_of_it():
    moment = parse_when("10/12/2026", now=NOW, timezone="Europe/Brussels", needs_time=False)
    assert moment.at.astimezone(UTC) == datetime(2026, 12, 10, 22, 59, tzinfo=UTC)
    assert moment.has_time is False


@pytest.mark.parametrize(
    ("typed", "needs_time", "says"),
    [
        ("someday", False, "cannot read “someday”"),
        ("", False, "Say when"),
        ("5", False, "could be a day, an hour or a year"),
        ("yesterday", False, "in the past"),
        ("1 Jan 2020 10:00", True, "in the past"),
        ("2026-11-28T09:00", True, "in the past"),
        ("Dec 2027", False, "names a month"),
        ("15 Dec", True, "gives a day but no time"),
        ("2027-03-28 02:30", True, "does not exist in Europe/Brussels"),
        ("2027-10-31 02:30", True, "happens twice in Europe/Brussels"),
        ("2026-13-10", True, "not a valid date"),
        ("1 Jan 2099 10:00", True, "more than 5 years ahead"),
    ],
)
def test_unreadable_past_or_ambiguous_times_are_refused_with_examples(typed, needs_time, says):
    with pytest.raises(WhenError) as refused:
        parse_when(typed, now=NOW, timezone="Europe/Brussels", needs_time=needs_time)
    assert says in refused.value.message
    assert "15 Dec" in refused.value.message  # an example that works


def test_lead_times():
    assert parse_leads("7d,1d,1h") == (10080, 1440, 60)
    assert parse_leads(" 1w , 0m,30m ,1w") == (10080, 30, 0)
    assert format_leads(parse_leads("14d,3d,1d,0m")) == "14d,3d,1d,0m"
    for wrong in ("", "7", "1x", "7d,,1d", "-1h", "27w"):
        with pytest.raises(CommandError):
            parse_leads(wrong)
