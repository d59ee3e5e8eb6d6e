"""The database goes away while the bot runs, and comes back.

Whoever writes to the bot hears privately that the database is unavailable (no error id),
the log gets one warning line per request instead of a traceback, /healthz and the calendar
feed answer 503 while reads fail, and everything works again once the database is back,
without a restart. On PostgreSQL the connection is cut by a proxy; on SQLite another process
holds the write lock (see tests/support/outages.py for why that is SQLite's outage).
"""

from __future__ import annotations

import io
import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.cli.console import console_reminders
from bot.console.repl import run_console
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.teams.render import ACTION_ID, ACTION_VALUE
from commands.chemclust import JOIN_ACTION
from commands.context import Identity
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import RunningBot, start_bot
from tests.support.mock_slack import MockSlack
from tests.support.outages import DatabaseProxy, SqliteWriteLock, outage_for
from tests.support.slack_events import deliver, message
from tests.support.slack_requests import (
    answer_to_command,
    block_action,
    interaction,
    post_signed,
)
from tests.support.teams import StubConnector, activity, post_activity

UNAVAILABLE = "The bot's database is unavailable; please try again in a minute."


@pytest.fixture
def outage(database_url: str) -> Iterator[DatabaseProxy | SqliteWriteLock]:
    cause = outage_for(database_url)
    yield cause
    cause.close()


@pytest.fixture
def outage_bot(outage, bot_settings) -> Iterator[RunningBot]:
    settings = replace(
        bot_settings,
        database_url=outage.url,
        teams_allow_anonymous=True,
        scheduler_enabled=False,
    )
    running = start_bot(settings)
    yield running
    outage.restore()  # so that the process can stop cleanly
    running.stop()


def shown(payload: dict) -> str:
    return payload.get("text", "") + json.dumps(payload.get("blocks", []), ensure_ascii=False)


def command(bot: RunningBot, mock: MockSlack, name: str, text: str, **options) -> dict:
    """The answer to a slash command, in the acknowledgement or through response_url."""
    return answer_to_command(bot.slack_url, mock, name, text, **options)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def assert_no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == [], [f"{r.name}: {r.getMessage()}" for r in loud]


def test_slack_users_hear_that_the_database_is_away_and_it_recovers_by_itself(
    outage, outage_bot, mock_slack: MockSlack, caplog
):
    # Before: a button and a form to use later, and the calendar's secret address.
    choice = command(outage_bot, mock_slack, "/chemclust", "join Atlantis")
    button = next(b for b in choice["blocks"] if b["type"] == "actions")["elements"][0]
    command(outage_bot, mock_slack, "/deadline", "add", user_id=COORDINATOR_ID)
    view = mock_slack.wait_for("views.open")[0].data["view"]
    calendar = command(outage_bot, mock_slack, "/workshop", "calendar", user_id=COORDINATOR_ID)
    token = re.search(r"/calendar/([A-Za-z0-9_-]{8,128})\.ics", shown(calendar)).group(1)
    mock_slack.calls.clear()
    caplog.clear()

    outage.cut()
    # A slash command: answered privately in the acknowledgement.
    joined = command(outage_bot, mock_slack, "/chemclust", "join Limburg")
    assert joined["response_type"] == "ephemeral"
    assert UNAVAILABLE in shown(joined)
    assert "error id" not in shown(joined)
    # A button: answered privately through response_url.
    clicked = post_signed(
        outage_bot.slack_url, block_action(button, response_url=mock_slack.webhook_url("click"))
    )
    assert clicked.status == 200
    assert UNAVAILABLE in shown(mock_slack.wait_for("/webhook/click")[0].data)
    # A form: the modal closes and the author gets a private note. (Its HTTP answer waits
    # for the database, which on a busy machine can outlast Slack's 3 s: the form's own issue.)
    post_signed(outage_bot.slack_url, deadline_submission(view))
    # An overheard pilot update: a note only its author sees.
    assert (
        deliver(outage_bot.slack_url, message("update skills: 24 teachers trained")).status == 200
    )
    notes = mock_slack.wait_for("chat.postEphemeral", count=2)
    assert [UNAVAILABLE in shown(note.data) for note in notes] == [True, True]
    assert {note.data["user"] for note in notes} == {COORDINATOR_ID, "UPARTNER"}
    # What only reads: unavailable where reads fail (PostgreSQL), served where they go on.
    expected = 503 if outage.reads_fail else 200
    assert status_of(outage_bot.url + "/healthz") == expected
    assert status_of(f"{outage_bot.url}/calendar/{token}.ics") == expected
    assert_no_tracebacks(caplog)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("database unavailable during /chemclust" in w for w in warnings), warnings

    outage.restore()
    rejoined = command(outage_bot, mock_slack, "/chemclust", "join NRW")
    assert "You now represent North Rhine-Westphalia" in shown(rejoined)
    assert status_of(outage_bot.url + "/healthz") == 200
    assert status_of(f"{outage_bot.url}/calendar/{token}.ics") == 200


def deadline_submission(view: dict) -> str:
    values = {"title": "Data 2027", "when": "15/12/2027 17:00", "regions": "", "remind": ""}
    state = {
        name: {"value": {"type": "plain_text_input", "value": value}}
        for name, value in values.items()
    }
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": COORDINATOR_ID, "username": "coordinator", "team_id": "T0001"},
            "api_app_id": "A0001",
            "view": {**view, "id": "V1", "state": {"values": state}},
        }
    )


def test_teams_users_hear_it_too_and_channel_chatter_gets_no_answer(outage, outage_bot, caplog):
    connector = StubConnector()
    try:
        url = outage_bot.url + "/api/messages"

        def ask(text: str | None = None, **options) -> list[dict]:
            body = activity(text, service_url=connector.service_url, expect_replies=True, **options)
            answer = post_activity(url, body)
            assert answer.status == 200, answer.text
            return answer.json().get("activities", [])

        outage.cut()
        caplog.clear()
        said = json.dumps(ask("chemclust join Limburg"), ensure_ascii=False)
        assert UNAVAILABLE in said
        assert "error id" not in said
        submitted = json.dumps(
            ask(value={ACTION_ID: JOIN_ACTION, ACTION_VALUE: "limburg"}),
            ensure_ascii=False,
        )
        assert UNAVAILABLE in submitted
        assert ask("lunch anyone?", mention=False) == []  # not to the bot: not answered
        assert_no_tracebacks(caplog)

        outage.restore()
        assert "You now represent Limburg" in json.dumps(ask("chemclust join Limburg"))
    finally:
        connector.close()


def test_the_console_says_it_and_recovers(outage, tmp_path, caplog):
    runtime = build_runtime(Settings(database_url=outage.url, coordinators=frozenset({"me"})))
    me = Identity(platform="console", user_id="me", user_name="me")
    out = io.StringIO()
    reminders = console_reminders(runtime, stdout=out)

    def console(*lines: str) -> str:
        start = out.tell()
        typed = io.StringIO("\n".join(lines) + "\n")
        run_console(
            runtime.core, me, out_dir=tmp_path, stdin=typed, stdout=out, reminders=reminders
        )
        return out.getvalue()[start:]

    try:
        console("/chemclust help")  # the console user is recorded while the database is there
        outage.cut()
        caplog.clear()
        said = console("/chemclust join Limburg", "/chemclust join NRW", "/chemclust join Usti")
        assert said.count(UNAVAILABLE) == 3
        outage.restore()
        assert "You now represent Limburg" in console("/chemclust join Limburg")
    finally:
        runtime.engine.dispose()
    assert_no_tracebacks(caplog)
    # Reminders are looked for before every line: one warning when the database went, one
    # when it came back, not one per line.
    noted = [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"]
    assert [m.split(":")[0] for m in noted] == ["console reminders"] * 2, noted
    assert "is unavailable" in noted[0]
    assert "is reachable again" in noted[1]
