"""Which reminder rows an event needs: one per lead time, and daily chases after a deadline.

Lead times in whole days are counted on the event's own calendar: the "1d" reminder of a
workshop at 10:00 Europe/Brussels goes out at 10:00 Brussels time the day before, also when
the clocks change in between. Hours and minutes are exact durations. Everything is stored
in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage.models import Event, Reminder

DAY_MINUTES = 24 * 60
# Deadlines: from this lead time on, the members of the regions still missing get a DM too.
DIRECT_FROM_MINUTES = DAY_MINUTES
CHASE_DAYS = 7


def shift_on_calendar(at: datetime, timezone: str, *, days: int) -> datetime:
    """``at`` moved by whole days on the wall clock of ``timezone``."""
    zone = ZoneInfo(timezone)
    wall = at.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def lead_due_at(event_start: datetime, timezone: str, minutes: int) -> datetime:
    if minutes and minutes % DAY_MINUTES == 0:
        return shift_on_calendar(event_start, timezone, days=-(minutes // DAY_MINUTES))
    return (event_start - timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC"))


@dataclass(frozen=True)
class Plan:
    reminders: list[Reminder]
    too_late: list[int]  # lead times (minutes) whose moment has already passed


def plan_reminders(event: Event, *, now: datetime) -> Plan:
    """The rows for ``event`` from ``now`` on. Events without a channel get none."""
    if event.platform is None or not event.conversation:
        return Plan([], [])
    reminders: list[Reminder] = []
    too_late: list[int] = []
    for minutes in event.lead_minutes:
        due = lead_due_at(event.starts_at, event.timezone, minutes)
        if due <= now:
            too_late.append(minutes)
            continue
        reminders.append(
            _row(
                event,
                kind="lead",
                due=due,
                payload={
                    "lead_minutes": minutes,
                    "direct": event.kind == "deadline" and minutes <= DIRECT_FROM_MINUTES,
                },
            )
        )
    if event.kind == "deadline":
        for day in range(1, CHASE_DAYS + 1):
            due = shift_on_calendar(event.starts_at, event.timezone, days=day)
            reminders.append(_row(event, kind="chase", due=due, payload={"day": day}))
    return Plan(reminders, too_late)


def _row(event: Event, *, kind: str, due: datetime, payload: dict) -> Reminder:
    return Reminder(
        group_id=event.group_id,
        event_id=event.id,
        kind=kind,
        due_at=due,
        not_before=due,
        platform=event.platform,
        target=dict(event.conversation or {}),
        payload={**payload, "event_sequence": event.sequence},
        status="pending",
        attempts=0,
        late=False,
    )


def notice(event: Event, *, now: datetime, payload: dict) -> Reminder | None:
    """A one-off message to the event's channel (moved, cancelled), sent by the dispatcher
    so that it has the same retries and guarantees as any reminder."""
    if event.platform is None or not event.conversation:
        return None
    return _row(event, kind="notice", due=now, payload=payload)
