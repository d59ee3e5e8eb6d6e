"""The event id in a calendar link is a number from outside: read like any other."""

from __future__ import annotations

from sqlalchemy import select

from commands.events.calendar import event_calendar_path
from storage.models import Event
from tests.bot.slack.test_events_over_http import fetch


def test_an_event_id_too_big_for_the_database_is_not_found_rather_than_a_crash(slack_bot, sessions):
    with sessions() as session:
        event = session.scalars(select(Event).order_by(Event.id)).first()
    good = event_calendar_path(sessions, event)
    status, body, _ = fetch(slack_bot.url + good)
    assert status == 200
    assert b"BEGIN:VCALENDAR" in body
    signature = good.rpartition("-")[2]
    for event_id in ("2147483648", "999999999999", "0"):
        status, _, _ = fetch(f"{slack_bot.url}/calendar/event/{event_id}-{signature}")
        assert status == 404, event_id
