"""The Teams reminder port: the proactive sender bridged from a worker thread, outcomes mapped.

Calls come from the test's thread, as from the dispatcher's worker thread, into the real web
process's event loop; the stub connector answers like the Bot Connector.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.teams.sender import TeamsReminderSender, retry_after_seconds
from commands.port import CannotTell, Mark, RetryLater, Sent, Target, Undeliverable
from commands.reply import Paragraph, Reply, text
from tests.bot.teams.conftest import messages_url, on_bot_loop, teams_of
from tests.support.teams import (
    CHANNEL_CONVERSATION,
    PERSONAL_CONVERSATION,
    USER_AAD_ID,
    activity,
    post_activity,
)

REMINDER = Reply(heading="Reminder: Pilot workshop", parts=(Paragraph(text("Starts now.")),))
CHANNEL = Target("teams", {"channel": CHANNEL_CONVERSATION, "workspace": "tenant-0001"})
PERSON = Target("teams", {"user": USER_AAD_ID})
MARK = Mark("reminder", 1)


def port(bot, *, timeout: float = 30.0) -> TeamsReminderSender:
    return TeamsReminderSender(teams_of(bot).sender, bot._loop, timeout=timeout)


@pytest.fixture
def addressed(teams_bot, connector):
    """The bot has heard from the channel and from Ada in her personal chat."""
    for body in (
        activity("benchmark", service_url=connector.service_url, expect_replies=True),
        activity(
            "chemclust help",
            service_url=connector.service_url,
            conversation=PERSONAL_CONVERSATION,
            conversation_type="personal",
            expect_replies=True,
        ),
    ):
        assert post_activity(messages_url(teams_bot), body).status == 200
    return teams_bot


def test_a_channel_target_and_a_person_reach_their_conversations(addressed, connector):
    send = port(addressed)
    assert send(CHANNEL, REMINDER, MARK) == Sent("reply-1")
    assert send(PERSON, REMINDER, MARK) == Sent("reply-2")
    channel, personal = connector.wait_for(2)
    assert channel.conversation_id == CHANNEL_CONVERSATION
    assert personal.conversation_id == PERSONAL_CONVERSATION


def test_teams_cannot_tell_whether_an_unrecorded_post_arrived(addressed, connector):
    # A bot cannot read a Teams conversation back: after a crash mid-send, the post is sent
    # again (at least once), and the port says so rather than claiming it is not there.
    send = port(addressed)
    assert send(CHANNEL, REMINDER, MARK) == Sent("reply-1")
    since = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert isinstance(send.find(CHANNEL, MARK, since=since), CannotTell)
    assert len(connector.messages()) == 1  # looking sent nothing


def test_unknown_conversations_and_people_are_undeliverable(teams_bot, connector):
    send = port(teams_bot)
    channel = send(Target("teams", {"channel": "19:never@thread.tacv2"}), REMINDER, MARK)
    assert isinstance(channel, Undeliverable)
    assert "19:never@thread.tacv2" in channel.reason
    assert "mention the bot there" in channel.reason
    person = send(Target("teams", {"user": "00000000-0000-0000-0000-00000000dead"}), REMINDER, MARK)
    assert isinstance(person, Undeliverable)
    assert "never chatted with the bot" in person.reason
    assert connector.sent == []


def test_a_rate_limit_is_retried_after_what_teams_asks(addressed, connector):
    connector.fail(429, retry_after="7")
    outcome = port(addressed)(CHANNEL, REMINDER, MARK)
    assert outcome == RetryLater("Teams rate limit (429, Failed)", after_seconds=7.0)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_errors_and_timeouts_of_the_connector_are_retried(addressed, connector, status):
    connector.fail(status)
    outcome = port(addressed)(CHANNEL, REMINDER, MARK)
    assert isinstance(outcome, RetryLater)
    assert f"HTTP {status}" in outcome.reason
    assert outcome.after_seconds is None


@pytest.mark.parametrize(
    ("status", "code", "says"),
    [
        (403, "BotNotInConversationRoster", "no longer in that conversation"),
        (404, "ConversationNotFound", "no longer exists"),
        (400, "BadSyntax", "HTTP 400"),
        (413, "MessageSizeTooBig", "MessageSizeTooBig"),
    ],
)
def test_refusals_that_waiting_will_not_cure_are_undeliverable(
    addressed, connector, status, code, says
):
    connector.fail(status, body={"error": {"code": code, "message": "refused"}})
    outcome = port(addressed)(CHANNEL, REMINDER, MARK)
    assert isinstance(outcome, Undeliverable)
    assert f"HTTP {status} ({code})" in outcome.reason
    assert says in outcome.reason


def test_a_connector_that_cannot_be_reached_is_retried(addressed, connector):
    connector.go_away()
    outcome = port(addressed)(CHANNEL, REMINDER, MARK)
    assert isinstance(outcome, RetryLater)
    assert outcome.reason.startswith("cannot reach Teams")


def test_a_connector_that_hangs_is_given_up_on_and_retried(addressed, connector):
    connector.delay = 3.0
    outcome = port(addressed, timeout=0.5)(CHANNEL, REMINDER, MARK)
    assert outcome == RetryLater("Teams did not answer within 0.5 seconds")


def test_calling_it_on_the_event_loop_is_refused_instead_of_hanging(addressed):
    async def on_the_loop():
        return port(addressed)(CHANNEL, REMINDER, MARK)

    with pytest.raises(RuntimeError, match="worker thread"):
        on_bot_loop(addressed, on_the_loop())


def test_a_stopped_web_process_means_later(teams_settings, connector):
    from tests.support.bot_server import start_bot

    running = start_bot(teams_settings)
    send = port(running)
    running.stop()
    running._loop.close()
    outcome = send(CHANNEL, REMINDER, MARK)
    assert outcome == RetryLater("the web process is stopping")


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    now = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert retry_after_seconds({"Retry-After": "12"}) == 12.0
    assert retry_after_seconds({"Retry-After": "1.5"}) == 1.5
    assert retry_after_seconds({"Retry-After": "Sat, 28 Nov 2026 10:00:30 GMT"}, now=now) == 30.0
    assert retry_after_seconds({"Retry-After": "Sat, 28 Nov 2026 09:00:00 GMT"}, now=now) == 0.0
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({"Retry-After": "inf"}) is None
    assert retry_after_seconds({}) is None
    assert retry_after_seconds(None) is None
