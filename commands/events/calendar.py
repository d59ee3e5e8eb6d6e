"""The group's events as iCalendar (RFC 5545), for subscriptions and "Add to calendar".

UIDs are stable per event, SEQUENCE follows every move, cancelled events stay in the feed
with STATUS:CANCELLED (so subscribed calendars drop them), each lead time is a VALARM, and
times carry their zone (a VTIMEZONE for every zone used).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from commands.events.grammar import EVENT_NUMBER
from commands.events.leads import format_leads, short_lead
from storage.calendars import feed_token, group_for_feed_token
from storage.db import SessionFactory
from storage.events import get_event, list_events
from storage.models import CANCELLED, Event, WorkingGroup
from storage.numbers import NumberError

PRODID = "-//ChemClust working group//chemclust-bot//EN"
ICS_MIME = "text/calendar"
# VTIMEZONE rules are written from this date, which keeps the file small.
ZONE_RULES_FROM = date(2000, 1, 1)
# The feed holds every upcoming event and the latest past ones: calendar apps fetch it every
# hour, and years of history made it megabytes (all of it stays in ``/workshop list past``).
# Counted, not a time span, so that a quiet group's calendar still shows its recent history.
# An event that leaves the feed drops out of subscribed calendars.
PAST_IN_FEED = 100
# VEVENTs kept written (about a kilobyte each): a busy group's feed a few times over.
EVENTS_REMEMBERED = 2048
ZONES_REMEMBERED = 64


def event_uid(event: Event) -> str:
    return f"event-{event.id}.group-{event.group_id}@chemclust-bot"


class _EventFacts(NamedTuple):
    """Everything of an event that its VEVENT shows: equal facts, equal bytes."""

    uid: str
    last_modified: datetime
    sequence: int
    title: str
    summary: str
    category: str
    cancelled: bool
    timezone: str
    starts_at: datetime
    ends_at: datetime | None
    whole_days: bool
    place: str
    description: str
    lead_minutes: tuple[int, ...]


def _facts(event: Event) -> _EventFacts:
    return _EventFacts(
        uid=event_uid(event),
        last_modified=event.updated_at.astimezone(UTC),
        sequence=event.sequence,
        title=event.title,
        summary=f"{event.title} ({event.ref})",
        category=event.kind.upper(),
        cancelled=event.status == CANCELLED,
        timezone=event.timezone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        whole_days=event.date_precision != "minute",
        place=event.place,
        description=_description(event),
        lead_minutes=tuple(event.lead_minutes),
    )


def _vevent(facts: _EventFacts, *, stamp: datetime):
    from icalendar import Alarm
    from icalendar import Event as VEvent

    item = VEvent()
    item.add("uid", facts.uid)
    item.add("dtstamp", stamp)
    item.add("last-modified", facts.last_modified)
    item.add("sequence", facts.sequence)
    item.add("summary", facts.summary)
    item.add("categories", [facts.category])
    item.add("status", "CANCELLED" if facts.cancelled else "CONFIRMED")
    zone = ZoneInfo(facts.timezone)
    local = facts.starts_at.astimezone(zone)
    if not facts.whole_days:
        item.add("dtstart", local)
        if facts.ends_at is not None:
            item.add("dtend", facts.ends_at.astimezone(zone))
    else:
        # History that records only the day (or month): an all-day entry on that day.
        day = local.date()
        item.add("dtstart", day)
        item.add("dtend", day + timedelta(days=1))
    if facts.place:
        item.add("location", facts.place)
    item.add("description", facts.description)
    if not facts.cancelled:
        for minutes in facts.lead_minutes:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(minutes=-minutes))
            alarm.add("description", f"{facts.title} ({short_lead(minutes)})")
            item.add_component(alarm)
    return item


class _WrittenEvent(NamedTuple):
    """A VEVENT as bytes, split around its DTSTAMP line (the one line that changes per
    request), with the zones its times name."""

    before_stamp: bytes
    after_stamp: bytes
    zones: frozenset[str]


# A stand-in DTSTAMP, replaced by the request's: the remembered bytes hold no request's time.
_STAMP_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=EVENTS_REMEMBERED)
def _written(facts: _EventFacts) -> _WrittenEvent:
    item = _vevent(facts, stamp=_STAMP_PLACEHOLDER)
    stamp_line = _stamp_line(_STAMP_PLACEHOLDER)
    before, found, after = item.to_ical().partition(stamp_line)
    if not found:
        raise AssertionError("a VEVENT without the DTSTAMP it was given")
    zones = {
        value.params.get("TZID")
        for _, value in item.property_items(sorted=False)
        if hasattr(value, "params")
    }
    return _WrittenEvent(before, after, frozenset(zones - {None, "UTC"}))


def _stamp_line(stamp: datetime) -> bytes:
    from icalendar import vDDDTypes

    return b"\r\nDTSTAMP:" + vDDDTypes(stamp).to_ical() + b"\r\n"


@lru_cache(maxsize=ZONES_REMEMBERED)
def _written_zone(tzid: str) -> bytes:
    """A zone's VTIMEZONE, or nothing for a zone icalendar does not know (as
    ``Calendar.add_missing_timezones`` leaves it out)."""
    from icalendar import Timezone

    try:
        return Timezone.from_tzid(tzid, first_date=ZONE_RULES_FROM).to_ical()
    except ValueError:
        return b""


def _description(event: Event) -> str:
    lines = [f"{event.kind.capitalize()} {event.ref} of the ChemClust working group."]
    if event.date_precision == "month":
        lines.append("Only the month is recorded.")
    if event.pilot is not None:
        lines.append(f"Pilot action: {event.pilot.name}.")
    if event.kind == "deadline" and event.regions:
        lines.append("For: " + ", ".join(r.name for r in event.regions) + ".")
    if event.lead_minutes:
        lines.append(f"Reminders: {format_leads(event.lead_minutes)}.")
    return "\n".join(lines)


def build_calendar(events: Iterable[Event], *, name: str, timezone: str, now: datetime) -> bytes:
    """The calendar file: each event's VEVENT is written once per change of what it shows and
    remembered (icalendar's writer was nearly all of a feed of a few hundred events); the
    file is those bytes in order, behind the VTIMEZONEs they need, as icalendar lays it out."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    head, found, end = calendar.to_ical().rpartition(b"END:VCALENDAR\r\n")
    if not found:
        raise AssertionError("a calendar without its END line")
    stamp_line = _stamp_line(now.astimezone(UTC))
    written = [_written(_facts(event)) for event in events]
    zones = set().union(*(each.zones for each in written))
    parts = [head, *(_written_zone(tzid) for tzid in sorted(zones))]
    for each in written:
        parts += (each.before_stamp, stamp_line, each.after_stamp)
    parts.append(found + end)
    return b"".join(parts)


def group_calendar(sessions: SessionFactory, *, group_id: int, now: datetime) -> bytes:
    with sessions() as session:
        group = session.get(WorkingGroup, group_id)
        past = list_events(
            session=session,
            group_id=group_id,
            until=now,
            include_cancelled=True,
            latest_first=True,
            limit=PAST_IN_FEED,
            with_deliveries=False,
        )
        upcoming = list_events(
            session=session,
            group_id=group_id,
            since=now,
            include_cancelled=True,
            with_deliveries=False,
        )
        events = [*reversed(past), *upcoming]
        if group is None:
            raise LookupError(f"no working group {group_id}")
        return build_calendar(events, name=group.name, timezone=group.timezone, now=now)


def calendar_for_token(sessions: SessionFactory, token: str, *, now: datetime) -> bytes | None:
    """The feed behind a calendar address, or None when the token is unknown (or rotated)."""
    with sessions() as session:
        group_id = group_for_feed_token(session=session, token=token)
    if group_id is None:
        return None
    return group_calendar(sessions, group_id=group_id, now=now)


# One event's calendar file, at an address that names the event and proves it was handed out:
# its signature is keyed with the group's calendar token, so rotating that token retires these
# addresses too, and one event's address does not reveal the group's feed.
EVENT_CALENDAR_PATH = "/calendar/event/{event_id}-{signature}.ics"


def _signature(token: str, event_id: int) -> str:
    digest = hmac.new(token.encode(), f"event:{event_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def event_calendar_path(sessions: SessionFactory, event: Event) -> str:
    with sessions.begin() as session:
        token = feed_token(session=session, group_id=event.group_id)
    return EVENT_CALENDAR_PATH.format(event_id=event.id, signature=_signature(token, event.id))


def event_calendar_for_link(
    sessions: SessionFactory, event_id: str, signature: str, *, now: datetime
) -> bytes | None:
    """The event's calendar file, or None for an address that was not handed out (or whose
    group token was rotated since)."""
    try:
        number = EVENT_NUMBER.read(event_id)  # from the address: any digits, any length
    except NumberError:
        return None
    with sessions() as session:
        event = get_event(session=session, event_id=number)
        if event is None:
            return None
        token = feed_token(session=session, group_id=event.group_id)
        if not hmac.compare_digest(_signature(token, event.id), signature):
            return None
        return build_calendar(
            [event], name=f"{event.title} ({event.ref})", timezone=event.timezone, now=now
        )
