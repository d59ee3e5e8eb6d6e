"""Years of generated events in the shapes the bot makes them: workshops and deadlines with
their regions, deliveries and reminder rows (sample data, titles say so).

Reminder rows follow commands.reminders.plan: three lead times for a workshop, four and
seven daily chases for a deadline, and direct messages to members of regions still missing.
Rows due by the end of today are mostly sent (some skipped or failed), later ones pending.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache

from commands.reminders.plan import CHASE_DAYS, lead_due_at, shift_on_calendar
from tests.benchmarks.rows import Catalogue, Rows
from tests.benchmarks.sizes import (
    HANDLED_UNTIL,
    HISTORY_STARTS,
    PAST_GAP,
    UPCOMING_GAP,
    HistorySizes,
    random_stream,
)

ZONE = "Europe/Brussels"
WORKSHOP_LEADS = [10080, 1440, 60]  # the defaults of /workshop add: 7d,1d,1h
DEADLINE_LEADS = [20160, 4320, 1440, 0]  # and of /deadline add: 14d,3d,1d,0m
DIRECT_FROM = 1440
# Of the events: deadlines; the rest are workshops with a few seminars and meetings.
DEADLINE_SHARE = 0.48
CHANNELS = 40
TOPICS = (
    "Shared pilot plants",
    "Skills foresight",
    "Open innovation vouchers",
    "Permit procedures",
    "Chemical park logistics",
    "Benchmark data review",
    "Cluster management",
    "Hydrogen in chemical parks",
    "Recycling of plastics",
    "Apprenticeships",
)
PLACES = ("Halle", "Cologne", "Oviedo", "Płock", "Ústí nad Labem", "Chester", "Novara", "Geleen")


def event_rows(catalogue: Catalogue, sizes: HistorySizes) -> list[Rows]:
    """Events, their regions and deliveries, and their reminder rows."""
    rng = random_stream("events")
    deadlines = round(sizes.events * DEADLINE_SHARE)
    upcoming = min(sizes.upcoming, sizes.events)
    starts = _start_times(rng, catalogue.anchor, sizes.events, upcoming)
    kinds = ["deadline"] * deadlines + ["workshop"] * (sizes.events - deadlines)
    rng.shuffle(kinds)
    for position in range(0, len(kinds), 50):  # one seminar and one meeting in fifty
        if kinds[position] != "deadline":
            kinds[position] = "seminar" if position % 100 == 0 else "meeting"

    events = Rows("event", EVENT_COLUMNS)
    regions = Rows("event_region", ("event_id", "region_id"))
    deliveries = Rows("event_delivery", ("id", "event_id", "region_id", "delivered_at"))
    reminders = _Reminders(catalogue, rng)
    event_id, delivery_id = catalogue.next_id("event"), catalogue.next_id("event_delivery")
    for index, (starts_at, kind) in enumerate(zip(sorted(starts), kinds, strict=True)):
        upcoming_event = starts_at > catalogue.anchor
        cancelled = rng.random() < 0.03
        leads = DEADLINE_LEADS if kind == "deadline" else WORKSHOP_LEADS
        channel = {"channel": f"CSAMPLE{rng.randrange(CHANNELS):02d}"}
        created = min(starts_at - timedelta(days=rng.uniform(7, 60)), catalogue.anchor)
        topic = rng.choice(TOPICS)
        events.add(
            event_id,
            catalogue.group_id,
            catalogue.next_event_number + index,
            kind,
            f"Sample {kind}: {topic}" + (" data" if kind == "deadline" else ""),
            starts_at,
            ZONE,
            "minute",
            "" if kind == "deadline" else rng.choice(PLACES),
            rng.choice(catalogue.pilot_ids) if rng.random() < 0.4 else None,
            "cancelled" if cancelled else "scheduled",
            0,
            "slack",
            channel,
            leads,
            created,
            created,
        )
        missing: list[int] = []
        if kind == "deadline":
            expected = list(catalogue.region_ids)
            if rng.random() >= 0.6:
                expected = sorted(rng.sample(expected, rng.randint(3, 9)))
            delivers = 0.15 if upcoming_event else 0.92
            for region_id in expected:
                regions.add(event_id, region_id)
                if rng.random() < delivers:
                    at = min(starts_at, catalogue.anchor) - timedelta(days=rng.uniform(0, 10))
                    deliveries.add(delivery_id, event_id, region_id, at)
                    delivery_id += 1
                else:
                    missing.append(region_id)
        reminders.for_event(
            event_id, kind, starts_at, leads, channel, cancelled=cancelled, missing=missing
        )
        event_id += 1
    reminders.add_directs(max(0, sizes.reminders - len(reminders.rows)))
    return [events, regions, deliveries, reminders.rows]


EVENT_COLUMNS = (
    "id",
    "group_id",
    "number",
    "kind",
    "title",
    "starts_at",
    "timezone",
    "date_precision",
    "place",
    "pilot_id",
    "status",
    "sequence",
    "platform",
    "conversation",
    "lead_minutes",
    "created_at",
    "updated_at",
)
REMINDER_COLUMNS = (
    "id",
    "group_id",
    "event_id",
    "parent_id",
    "kind",
    "due_at",
    "not_before",
    "platform",
    "target",
    "payload",
    "status",
    "attempts",
    "claimed_by",
    "sent_at",
    "late",
    "message_ref",
    "last_error",
    "dedupe_key",
    "created_at",
)


def _start_times(rng: random.Random, anchor: datetime, count: int, upcoming: int) -> list[datetime]:
    """Office hours on days spread over history since 2010, and over the coming year."""
    past_span = (anchor - PAST_GAP - HISTORY_STARTS).days
    times = []
    for number in range(count):
        if number < upcoming:
            day = anchor + UPCOMING_GAP + timedelta(days=rng.randrange(363))
        else:
            day = HISTORY_STARTS + timedelta(days=rng.randrange(past_span))
        times.append(day + timedelta(hours=rng.randint(7, 15), minutes=rng.choice((0, 30))))
    return times


class _Reminders:
    """Reminder rows as the dispatcher would have left them by now."""

    def __init__(self, catalogue: Catalogue, rng: random.Random):
        self.catalogue = catalogue
        self.rng = rng
        self.rows = Rows("reminder", REMINDER_COLUMNS)
        self.next_id = catalogue.next_id("reminder")
        # Past deadlines with regions still missing: (event id, 1d lead row, due, missing).
        self.chased: list[tuple[int, int, datetime, list[int]]] = []

    def add(
        self, event_id, kind, due, target, payload, status, *, parent=None, key=None, reason=None
    ) -> int:
        row_id = self.next_id
        self.next_id += 1
        sent = status == "sent"
        self.rows.add(
            row_id,
            self.catalogue.group_id,
            event_id,
            parent,
            kind,
            due,
            due,
            "slack",
            target,
            payload,
            status,
            0 if status in ("pending", "cancelled") else 1,
            None if status in ("pending", "cancelled") else "bench:1:sample",
            due + timedelta(seconds=self.rng.uniform(0.2, 20)) if sent else None,
            False,
            f"{target.get('channel', 'D')}:{int(due.timestamp())}.000100" if sent else None,
            reason or _REASONS.get(status),
            key,
            due - timedelta(days=20),
        )
        return row_id

    def _status(self, due: datetime, *, cancelled: bool) -> str:
        if cancelled:
            return "cancelled"
        if due >= self.catalogue.anchor + HANDLED_UNTIL:
            return "pending"
        draw = self.rng.random()
        return "sent" if draw < 0.93 else ("skipped" if draw < 0.98 else "failed")

    def for_event(self, event_id, kind, starts_at, leads, channel, *, cancelled, missing) -> None:
        direct_parent = None
        for minutes in leads:
            due = lead_due_at(starts_at, ZONE, minutes)
            payload = _lead_payload(minutes, direct=kind == "deadline" and minutes <= DIRECT_FROM)
            row = self.add(
                event_id, "lead", due, channel, payload, self._status(due, cancelled=cancelled)
            )
            if minutes == DIRECT_FROM:
                direct_parent = (row, due)
        if kind != "deadline":
            return
        for day in range(1, CHASE_DAYS + 1):
            due = shift_on_calendar(starts_at, ZONE, days=day)
            status, reason = self._status(due, cancelled=cancelled), None
            if status == "sent" and not missing:
                status, reason = "skipped", "every region has delivered"
            payload = _chase_payload(day)
            self.add(event_id, "chase", due, channel, payload, status, reason=reason)
        if missing and direct_parent and not cancelled and starts_at < self.catalogue.anchor:
            self.chased.append((event_id, *direct_parent, missing))

    def add_directs(self, count: int) -> None:
        """``count`` direct messages to members of missing regions, spread over deadlines."""
        chased = self.chased
        for number in range(min(count, len(chased) * 4)):
            event_id, parent, due, missing = chased[number % len(chased)]
            round_ = number // len(chased)
            region_id = missing[round_ % len(missing)]
            people = self.catalogue.members_by_region.get(region_id, [])
            if round_ >= len(missing) * len(people):
                continue  # everyone concerned has had their message
            user = people[round_ // len(missing)]
            payload = {
                "event_sequence": 0,
                "region_id": region_id,
                "lead_minutes": DIRECT_FROM,
                "chase": False,
            }
            key = f"{parent}:slack:{user}"
            self.add(
                event_id, "direct", due, {"user": user}, payload, "sent", parent=parent, key=key
            )


# One dict per distinct payload, shared by its rows (the bulk writer encodes each once).
@cache
def _lead_payload(minutes: int, *, direct: bool) -> dict:
    return {"lead_minutes": minutes, "direct": direct, "event_sequence": 0}


@cache
def _chase_payload(day: int) -> dict:
    return {"day": day, "event_sequence": 0}


_REASONS = {
    "skipped": "the event had already begun when it could be sent",
    "failed": "Slack refused the message: channel_not_found",
}


def due_reminder_rows(catalogue: Catalogue, count: int, *, now: datetime) -> list[Rows]:
    """``count`` workshops starting in an hour, each in a channel of its own, each with its
    "1h" reminder due a second ago (so none waits for Slack's one-message-a-second pacing)."""
    events = Rows("event", EVENT_COLUMNS)
    reminders = _Reminders(catalogue, random_stream("due"))
    first = catalogue.next_id("event")
    starts_at = now + timedelta(hours=1) - timedelta(seconds=1)
    for number in range(count):
        channel = {"channel": f"CDUE{number:05d}"}
        event_id = first + number
        events.add(
            event_id,
            catalogue.group_id,
            catalogue.next_event_number + number,
            "workshop",
            f"Sample workshop: dispatcher run {number}",
            starts_at,
            ZONE,
            "minute",
            PLACES[number % len(PLACES)],
            None,
            "scheduled",
            0,
            "slack",
            channel,
            [60],
            now,
            now,
        )
        payload = _lead_payload(60, direct=False)
        reminders.add(event_id, "lead", starts_at - timedelta(hours=1), channel, payload, "pending")
    return [events, reminders.rows]
