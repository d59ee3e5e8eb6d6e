"""The weekly pilot digest posted to a Teams channel chosen with ``chemclust channel``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.teams.sender import TeamsReminderSender
from commands.pilots.digest import send_due_digests
from tests.bot.teams.conftest import messages_url, teams_of
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import start_bot
from tests.support.digest_tick import weekly_digest_job
from tests.support.events import RecordingSender
from tests.support.teams import (
    CHANNEL_CONVERSATION,
    USER_AAD_ID,
    activity,
    card_text,
    cards,
    post_activity,
)


def next_digest_time() -> datetime:
    """The next Monday 09:05 in Brussels: the web process writes its data with the real clock,
    so the digest that covers it is the next one from now (at most seven days later)."""
    now = datetime.now(ZoneInfo("Europe/Brussels"))
    monday = (now + timedelta(days=-now.weekday() % 7)).replace(
        hour=9, minute=5, second=0, microsecond=0
    )
    return monday if monday > now else monday + timedelta(days=7)


@pytest.fixture
def coordinator_bot(teams_settings):
    settings = replace(teams_settings, coordinators=frozenset({COORDINATOR_ID, USER_AAD_ID}))
    running = start_bot(settings)
    yield running
    running.stop()


def say(bot, connector, line: str) -> str:
    body = activity(
        line,
        service_url=connector.service_url,
        conversation=CHANNEL_CONVERSATION,
        user_aad_id=USER_AAD_ID,
        user_name="Ada Lovelace",
        expect_replies=True,
    )
    answer = post_activity(messages_url(bot), body)
    assert answer.status == 200, answer.text
    return "\n".join(card_text(card) for card in cards(answer.json()["activities"]))


def test_the_digest_reaches_the_teams_channel_once(coordinator_bot, connector):
    chosen = say(coordinator_bot, connector, "chemclust channel")
    assert "This channel is now the" in chosen
    assert "posted into this conversation" in chosen
    assert "/invite" not in chosen
    say(coordinator_bot, connector, "chemclust join Masovia")
    logged = say(coordinator_bot, connector, "update skills: Teacher training held in Warsaw")
    assert "Logged for Masovia" in logged
    before = len(connector.messages())

    port = TeamsReminderSender(teams_of(coordinator_bot).sender, coordinator_bot._loop)
    senders = {"teams": port}
    sessions = coordinator_bot.runtime.core.sessions
    due = next_digest_time()
    send_due_digests(sessions, now=due, senders=senders)
    send_due_digests(sessions, now=due + timedelta(minutes=15), senders=senders)

    posted = connector.wait_for(before + 1)[before:]
    assert len(posted) == 1
    assert posted[0].conversation_id == CHANNEL_CONVERSATION
    text = "\n".join(card_text(card) for card in cards([posted[0].body]))
    assert "Teacher training held in Warsaw" in text
    assert "Masovia" in text


def test_a_teams_only_process_runs_the_digest_job(teams_settings):
    from bot.runtime import build_runtime

    runtime = build_runtime(replace(teams_settings, slack_bot_token=""))
    assert weekly_digest_job(runtime) is None
    assert weekly_digest_job(runtime, teams=RecordingSender()) is not None
    runtime.engine.dispose()
