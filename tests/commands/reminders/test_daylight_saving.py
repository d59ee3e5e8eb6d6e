"""A workshop at 10:00 Europe/Brussels stays at 10:00 local across a clock change; its
reminders are computed from the zoned time and stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import Event, Reminder
from tests.support.events import Clock, make_core

BRUSSELS = ZoneInfo("Europe/Brussels")


def _reminders(sessions, event_number: int) -> tuple[Event, dict[int, datetime]]:
    with sessions() as session:
        event = session.scalar(select(Event).where(Event.number == event_number))
        rows = session.scalars(
            select(Reminder).where(Reminder.event_id == event.id, Reminder.kind == "lead")
        )
        return event, {r.payload["lead_minutes"]: r.due_at for r in rows}


@pytest.mark.parametrize(
    ("created", "typed", "start_utc", "due_utc"),
    [
        pytest.param(
            datetime(2027, 3, 20, 12, 0, tzinfo=UTC),  # winter time (CET, +01:00)
            "29/03/2027 10:00",  # the day after the spring change: CEST, +02:00
            datetime(2027, 3, 29, 8, 0, tzinfo=UTC),
            {
                7 * 1440: datetime(2027, 3, 22, 9, 0, tzinfo=UTC),  # 10:00 CET
                1440: datetime(2027, 3, 28, 8, 0, tzinfo=UTC),  # 10:00 CEST, the change day
                60: datetime(2027, 3, 29, 7, 0, tzinfo=UTC),
            },
            id="march",
        ),
        pytest.param(
            datetime(2026, 10, 10, 12, 0, tzinfo=UTC),  # summer time (CEST)
            "26/10/2026 10:00",  # the day after the autumn change: CET
            datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
            {
                7 * 1440: datetime(2026, 10, 19, 8, 0, tzinfo=UTC),  # 10:00 CEST
                1440: datetime(2026, 10, 25, 9, 0, tzinfo=UTC),  # 10:00 CET, the change day
                60: datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
            },
            id="october",
        ),
    ],
)
def test_workshop_at_ten_stays_at_ten_across_the_change(
    sessions, coordinator, created, typed, start_utc, due_utc
):
    core = make_core(sessions, Clock(created))
    reply = core.run_line(coordinator, f'/workshop add "Skills workshop" {typed}')
    assert reply.heading == "New workshop: Skills workshop"

    event, due = _reminders(sessions, 6)
    assert event.starts_at == start_utc
    assert event.starts_at.astimezone(BRUSSELS).hour == 10
    assert event.timezone == "Europe/Brussels"
    assert due == due_utc
    # Day lead times land at 10:00 on the Brussels wall clock whatever the offset that day.
    for minutes in (7 * 1440, 1440):
        assert due[minutes].astimezone(BRUSSELS).strftime("%H:%M") == "10:00"
    assert all(moment.tzinfo is not None for moment in due.values())


def test_moving_across_the_change_recomputes_in_local_time(sessions, coordinator):
    core = make_core(sessions, Clock(datetime(2026, 10, 1, 12, 0, tzinfo=UTC)))
    core.run_line(coordinator, '/workshop add "Pilot review" 20/10/2026 10:00 remind 1d')
    core.run_line(coordinator, "/workshop move W6 27/10/2026 10:00")
    event, _due = _reminders(sessions, 6)
    assert event.starts_at == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # 10:00 CET
    assert event.sequence == 1
    with sessions() as session:
        pending = session.scalars(
            select(Reminder).where(
                Reminder.event_id == event.id, Reminder.kind == "lead", Reminder.status == "pending"
            )
        ).all()
    assert [r.due_at for r in pending] == [datetime(2026, 10, 26, 9, 0, tzinfo=UTC)]
