"""The calendar file: remembered VEVENTs give the bytes icalendar writes, stamped per request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from commands.events import calendar
from storage.models import CANCELLED, SCHEDULED, Event

NOW = datetime(2026, 11, 28, 10, 0, 7, tzinfo=UTC)


def event(number: int, *, timezone: str = "Europe/Brussels", **changes) -> Event:
    facts = {
        "id": 900 + number,
        "group_id": 1,
        "number": number,
        "kind": "workshop",
        "title": f"Workshop {number}",
        "starts_at": NOW + timedelta(days=number),
        "ends_at": None,
        "timezone": timezone,
        "date_precision": "minute",
        "place": "Leuna",
        "status": SCHEDULED,
        "sequence": 0,
        "lead_minutes": [60, 1440],
        "updated_at": NOW - timedelta(days=3),
        "pilot": None,
        "regions": [],
    }
    return Event(**{**facts, **changes})


def written(events: list[Event], now: datetime = NOW) -> bytes:
    return calendar.build_calendar(events, name="ChemClust", timezone="Europe/Brussels", now=now)


def icalendar_writes(events: list[Event], now: datetime) -> bytes:
    """The file as icalendar lays out the whole calendar in one go."""
    whole = Calendar()
    for name, value in (
        ("prodid", calendar.PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("x-wr-calname", "ChemClust"),
        ("x-wr-timezone", "Europe/Brussels"),
    ):
        whole.add(name, value)
    whole.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    whole.add("x-published-ttl", "PT1H")
    for each in events:
        whole.add_component(calendar._vevent(calendar._facts(each), stamp=now))
    whole.add_missing_timezones(first_date=calendar.ZONE_RULES_FROM)
    return whole.to_ical()


def test_the_file_is_byte_for_byte_what_icalendar_writes():
    events = [
        event(1, ends_at=NOW + timedelta(days=1, hours=2)),
        event(2, status=CANCELLED, place=""),
        event(3, date_precision="month", timezone="Europe/London"),  # a day: no zone
        event(4, title="Ümlauts, commas; and a very long title " * 4),
    ]
    assert written(events) == icalendar_writes(events, NOW)
    assert written(events) == icalendar_writes(events, NOW)  # remembered, still the same


def test_each_file_carries_its_own_stamp_and_nothing_else_changes():
    events = [event(1), event(2)]
    first = written(events).decode().splitlines()
    later = written(events, NOW + timedelta(minutes=5)).decode().splitlines()
    changed = [(a, b) for a, b in zip(first, later, strict=True) if a != b]
    assert changed == [("DTSTAMP:20261128T100007Z", "DTSTAMP:20261128T100507Z")] * 2


def test_a_moved_or_renamed_event_is_written_anew():
    before = written([event(1)]).decode()
    moved = event(1, starts_at=NOW + timedelta(days=9), sequence=1, title="Renamed")
    after = written([moved]).decode()
    assert "SEQUENCE:0" in before
    assert "SEQUENCE:1" in after
    assert "SUMMARY:Renamed (W1)" in after
    assert "Workshop 1" not in after
    assert "DTSTART;TZID=Europe/Brussels:20261207T110007" in after


def test_every_zone_used_gets_its_vtimezone_before_the_events():
    text = written([event(1), event(2, timezone="Europe/London")]).decode()
    zones = [line for line in text.splitlines() if line.startswith("TZID:")]
    assert zones == ["TZID:Europe/Brussels", "TZID:Europe/London"]
    assert text.rindex("END:VTIMEZONE") < text.index("BEGIN:VEVENT")
    parsed = Calendar.from_ical(text)
    assert {str(e["DTSTART"].params["TZID"]) for e in parsed.walk("VEVENT")} == {
        "Europe/Brussels",
        "Europe/London",
    }
