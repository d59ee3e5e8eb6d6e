"""Events and reminders through the real web process, signed requests and the mock Web API."""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from storage.models import CalendarFeed, Reminder
from tests.bot.slack.test_http_endpoint import assert_valid_blocks
from tests.bot.test_processes import due_now
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import DISPATCH_SECONDS, dispatch_rounds, start_bot
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import answer_to_command, interaction, post_signed, slash_command

PUBLIC_URL = "https://chemclust.example.org"


@pytest.fixture
def reminder_bot(bot_settings):
    running = start_bot(
        replace(bot_settings, dispatch_seconds=DISPATCH_SECONDS, public_url=PUBLIC_URL)
    )
    yield running
    running.stop()


def command(bot, name: str, text: str, *, user: str = COORDINATOR_ID, **extra) -> dict:
    mock = MockSlack.serving(bot.runtime.settings.slack_api_url)
    return answer_to_command(bot.slack_url, mock, name, text, user_id=user, **extra)


def shown(payload: dict) -> str:
    return payload.get("text", "") + json.dumps(payload.get("blocks", []), ensure_ascii=False)


def posts_about(mock_slack, words: str) -> list[dict]:
    return [c.data for c in mock_slack.of("chat.postMessage") if words in shown(c.data)]


def wait_for_post(mock_slack, words: str, count: int = 1, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = posts_about(mock_slack, words)
        if len(found) >= count:
            return found[-1]
        time.sleep(0.1)
    seen = [shown(c.data)[:80] for c in mock_slack.of("chat.postMessage")]
    raise AssertionError(f"no message about {words!r}; saw {seen}")


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def rows(bot) -> list[Reminder]:
    sessions = bot.runtime.core.sessions
    with sessions() as session:
        return list(session.scalars(select(Reminder).order_by(Reminder.id)))


def click(bot, mock_slack, message: dict, label: str, *, user: str, name: str) -> dict:
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if e["text"]["text"] == label)
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "chemclust"},
        "channel": {"id": "CGENERAL", "name": "general"},
        "api_app_id": "A0001",
        "trigger_id": "1.2.3",
        "response_url": mock_slack.webhook_url(name),
        "actions": [{**button, "block_id": "b1", "action_ts": "1700000000.1"}],
    }
    assert post_signed(bot.slack_url, interaction(payload)).status == 200
    return mock_slack.wait_for(f"/webhook/{name}")[0].data


def test_deadline_created_listed_and_reminded_once_with_working_buttons(reminder_bot, mock_slack):
    added = command(
        reminder_bot,
        "/deadline",
        'add "Benchmark data 2012" in 1 hour for Limburg, NRW remind 0m',
    )
    assert added["response_type"] == "in_channel"
    assert "New deadline: Benchmark data 2012" in shown(added)
    listed = command(reminder_bot, "/deadline", "list")
    assert listed["response_type"] == "ephemeral"
    assert "D6" in shown(listed)
    assert "Benchmark data 2012" in shown(listed)
    # Due once listed (still to come there), however long the two commands took.
    due_now(reminder_bot.runtime.settings.database_url, kinds=("lead", "direct"))

    message = wait_for_post(mock_slack, "Deadline: Benchmark data 2012")
    assert message["channel"] == "CGENERAL"
    assert_valid_blocks(message["blocks"])
    assert "<!date^" in shown(message)  # each reader sees their own local time
    dispatch_rounds(2.5)  # two more dispatch rounds: nothing is sent again
    assert len(posts_about(mock_slack, "Deadline: Benchmark data 2012")) == 1
    (lead,) = [r for r in rows(reminder_bot) if r.kind == "lead"]
    assert lead.status == "sent"
    assert lead.message_ref.startswith("CGENERAL:")

    command(reminder_bot, "/chemclust", "join Limburg", user="UPARTNER")
    delivered = click(
        reminder_bot, mock_slack, message, "Mark delivered", user="UPARTNER", name="delivered"
    )
    assert "Limburg" in shown(delivered)
    assert "has delivered" in shown(delivered)

    calendar = click(
        reminder_bot, mock_slack, message, "Add to calendar", user="UPARTNER", name="calendar"
    )
    assert calendar["response_type"] == "ephemeral"
    uploaded = mock_slack.wait_for("files.completeUploadExternal")[0].data
    assert uploaded["channel_id"] == "DUPARTNER"
    assert any(c.raw.startswith(b"BEGIN:VCALENDAR") for c in mock_slack.of("/upload/"))


def test_move_and_cancel_are_announced_once_in_the_channel(reminder_bot, mock_slack):
    command(reminder_bot, "/workshop", 'add "Skills workshop" in 3 days at 10:00 at Wilton')
    moved = command(reminder_bot, "/workshop", "move W6 in 4 days at 11:00")
    assert moved["response_type"] == "ephemeral"
    assert "moved to" in shown(moved)
    wait_for_post(mock_slack, "Moved: Skills workshop")
    cancelled = command(reminder_bot, "/workshop", "cancel W6")
    assert "is cancelled" in shown(cancelled)
    wait_for_post(mock_slack, "Cancelled: Skills workshop")
    dispatch_rounds(2.5)
    assert len(posts_about(mock_slack, "Cancelled: Skills workshop")) == 1
    assert {r.status for r in rows(reminder_bot) if r.kind == "lead"} == {"cancelled"}


def test_partner_add_is_refused_and_nothing_created(reminder_bot):
    refused = command(reminder_bot, "/deadline", 'add "x" in 2 days', user="UPARTNER")
    assert refused["response_type"] == "ephemeral"
    assert "Only coordinators" in shown(refused)
    assert rows(reminder_bot) == []


def test_rate_limited_post_is_retried_after_retry_after(reminder_bot, mock_slack, monkeypatch):
    # No back-off of its own (5 s at first): the one second between the posts is Retry-After's.
    monkeypatch.setattr("commands.reminders.dispatch_record.BACKOFF_FIRST", timedelta(0))
    mock_slack.fail("chat.postMessage", 429, retry_after=1)
    command(reminder_bot, "/deadline", 'add "Rate limited data" in 1 hour remind 0m')
    due_now(reminder_bot.runtime.settings.database_url)
    wait_for_post(mock_slack, "Rate limited data", count=2)  # refused, then accepted
    wait_until(lambda: [r.status for r in rows(reminder_bot) if r.kind == "lead"] == ["sent"])
    (lead,) = [r for r in rows(reminder_bot) if r.kind == "lead"]
    assert lead.attempts == 2
    assert lead.last_error == "Slack rate limit (429)"
    calls = [c for c in mock_slack.of("chat.postMessage")]
    assert calls[-1].received_at - calls[0].received_at >= 1.0  # Retry-After honoured


def test_add_without_text_opens_the_modal_with_per_field_errors(reminder_bot, mock_slack):
    answer = post_signed(
        reminder_bot.slack_url, slash_command("/deadline", "add", user_id=COORDINATOR_ID)
    )
    assert answer.status == 200
    view = mock_slack.wait_for("views.open")[0].data["view"]
    assert view["callback_id"] == "form:events.deadline.add"
    assert [b["block_id"] for b in view["blocks"]] == ["title", "when", "regions", "remind"]

    def submit(values: dict) -> dict:
        state = {
            name: {"value": {"type": "plain_text_input", "value": value}}
            for name, value in values.items()
        }
        body = interaction(
            {
                "type": "view_submission",
                "team": {"id": "T0001"},
                "user": {"id": COORDINATOR_ID, "username": "coordinator", "team_id": "T0001"},
                "api_app_id": "A0001",
                "view": {**view, "id": "V1", "state": {"values": state}},
            }
        )
        response = post_signed(reminder_bot.slack_url, body)
        assert response.status == 200
        return response.json() if response.text else {}

    errors = submit({"title": "Data", "when": "someday", "regions": "Atlantis", "remind": ""})
    assert errors["response_action"] == "errors"
    assert set(errors["errors"]) == {"when", "regions"}
    assert (
        submit({"title": "Data 2012", "when": "15/12/2027 17:00", "regions": "", "remind": ""})
        == {}
    )
    posted = wait_for_post(mock_slack, "New deadline: Data 2012")
    assert posted["channel"] == "CGENERAL"


def test_a_time_without_zone_is_read_in_the_authors_slack_zone(reminder_bot, mock_slack):
    mock_slack.user_zones[COORDINATOR_ID] = "Europe/London"
    added = command(reminder_bot, "/workshop", 'add "Teesside visit" 15/12/2027 10:00')
    assert "15 Dec 2027, 10:00 GMT" in shown(added)
    assert mock_slack.of("users.info")[0].data["user"] == COORDINATOR_ID
    command(reminder_bot, "/workshop", "list")
    assert len(mock_slack.of("users.info")) == 1  # remembered


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers.get("content-type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


def test_calendar_feed_parses_and_holds_every_upcoming_event_with_its_zone(
    reminder_bot, mock_slack
):
    command(
        reminder_bot, "/workshop", 'add "Open innovation workshop" 15/12/2027 10:00 at Chemelot'
    )
    command(reminder_bot, "/deadline", 'add "Benchmark data" 20/12/2027 17:00 remind 3d,0m')
    command(reminder_bot, "/workshop", 'add "Skills" 10/01/2028 09:30')
    command(reminder_bot, "/workshop", "move W6 16/12/2027 10:00")
    command(reminder_bot, "/workshop", "cancel W8")
    link = command(reminder_bot, "/workshop", "calendar")
    sessions = reminder_bot.runtime.core.sessions
    with sessions() as session:
        token = session.scalar(select(CalendarFeed.token))
    url = f"{PUBLIC_URL}/calendar/{token}.ics"
    assert url in shown(link)

    status, body, kind = fetch(f"{reminder_bot.url}/calendar/{token}.ics")
    assert status == 200
    assert kind.startswith("text/calendar")
    calendar = Calendar.from_ical(body)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    upcoming = {
        "Open innovation workshop (W6)": (
            datetime(2027, 12, 16, 9, 0, tzinfo=UTC),
            "Europe/Brussels",
        ),
        "Benchmark data (D7)": (datetime(2027, 12, 20, 16, 0, tzinfo=UTC), "Europe/Brussels"),
        "Skills (W8)": (datetime(2028, 1, 10, 8, 30, tzinfo=UTC), "Europe/Brussels"),
    }
    for summary, (moment, zone) in upcoming.items():
        start = events[summary].decoded("dtstart")
        assert start == moment
        assert events[summary]["dtstart"].params["TZID"] == zone
    assert {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")} >= {"Europe/Brussels"}
    moved = events["Open innovation workshop (W6)"]
    assert moved["sequence"] == 1
    assert str(moved["location"]) == "Chemelot"
    assert [a.decoded("trigger").total_seconds() for a in moved.walk("VALARM")] == [
        -7 * 86400,
        -86400,
        -3600,
    ]
    assert str(events["Skills (W8)"]["status"]) == "CANCELLED"
    assert str(events["Benchmark data (D7)"]["status"]) == "CONFIRMED"
    assert "3rd seminar: Open Innovation (S4)" in events  # history from the seed
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)

    # The same UIDs next time (calendar apps update, not duplicate).
    again = Calendar.from_ical(fetch(f"{reminder_bot.url}/calendar/{token}.ics")[1])
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == uids

    assert fetch(f"{reminder_bot.url}/calendar/not-a-real-token.ics")[0] == 404
    command(reminder_bot, "/workshop", "calendar rotate")
    assert fetch(f"{reminder_bot.url}/calendar/{token}.ics")[0] == 404
