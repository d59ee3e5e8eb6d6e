"""Text written to the bot in Slack — its Messages tab, mentions — through the real web process."""

from __future__ import annotations

import logging

import pytest

from tests.bot.slack.test_events_over_http import wait_until
from tests.bot.slack.test_http_endpoint import assert_valid_blocks, block_text
from tests.bot.slack.test_pilot_updates import join, stored
from tests.support import slack_events as events

DM = "DUPARTNER"


def direct(text: str, **extra) -> dict:
    return events.message(text, channel=DM, channel_type="im", **extra)


def answers_in(mock_slack, method: str, channel: str) -> list[dict]:
    return [call.data for call in mock_slack.of(method) if call.data.get("channel") == channel]


@pytest.fixture
def handled(slack_bot) -> events.HandledMessages:
    return events.HandledMessages(slack_bot.runtime.core)


@pytest.fixture
def tracebacks(caplog):
    """The log records so far that carry a traceback."""
    caplog.set_level(logging.INFO)
    return lambda: [record for record in caplog.records if record.exc_info]


def wait_for_redeliveries(caplog, count: int) -> None:
    """The adapter says so when a redelivery needed no answer: then every delivery is done."""
    wait_until(lambda: sum("answered already" in r.getMessage() for r in caplog.records) >= count)


def test_a_direct_message_runs_a_command_once_however_often_slack_delivers_it(
    slack_bot, mock_slack, caplog, tracebacks
):
    written = direct("benchmark Limburg")
    for retry in (None, 1, 2):
        assert events.deliver(slack_bot.slack_url, written, retry=retry).status == 200
    wait_for_redeliveries(caplog, 2)
    posted = mock_slack.wait_for("chat.postMessage")[0].data

    assert answers_in(mock_slack, "chat.postMessage", DM) == [posted]
    assert "Limburg" in block_text(posted["blocks"])
    assert "illustrative" in block_text(posted["blocks"]).lower()
    assert_valid_blocks(posted["blocks"])
    assert mock_slack.of("chat.postEphemeral") == []
    assert tracebacks() == []


@pytest.mark.parametrize("written", ["help", "/practice training"])
def test_commands_with_or_without_the_slash_and_help_answer_in_the_conversation(
    slack_bot, mock_slack, written, tracebacks
):
    events.deliver(slack_bot.slack_url, direct(written))
    posted = mock_slack.wait_for("chat.postMessage")[0].data

    assert posted["channel"] == DM
    shown = block_text(posted["blocks"]) + posted["text"]
    assert ("/chemclust" in shown) if written == "help" else ("training" in shown.lower())
    assert_valid_blocks(posted["blocks"])
    assert tracebacks() == []


def test_anything_else_gets_the_short_help_with_buttons_never_silence(
    slack_bot, mock_slack, tracebacks
):
    events.deliver(slack_bot.slack_url, direct("hello <b>there</b>"))
    posted = mock_slack.wait_for("chat.postMessage")[0].data

    assert posted["channel"] == DM
    assert "I do not understand" in posted["text"]
    assert "&lt;b&gt;there" in block_text(posted["blocks"])  # echoed back escaped
    rows = [block for block in posted["blocks"] if block["type"] == "actions"]
    assert "benchmark" in [button["value"] for row in rows for button in row["elements"]]
    assert_valid_blocks(posted["blocks"])
    assert tracebacks() == []


def test_a_pilot_update_by_direct_message_is_still_logged_not_run(
    slack_bot, mock_slack, handled, sessions
):
    join(slack_bot, mock_slack, "Masovia")
    events.deliver(slack_bot.slack_url, direct("update skills: Teacher training held"))
    mock_slack.wait_for("reactions.add")
    handled.wait_for(1)

    assert [update.text for update in stored(sessions)] == ["Teacher training held"]
    assert answers_in(mock_slack, "chat.postMessage", DM) == []


def test_a_mention_runs_the_command_and_answers_in_its_thread(slack_bot, mock_slack, tracebacks):
    mention = events.mention("benchmark NRW vs Limburg")
    events.deliver(slack_bot.slack_url, mention)
    posted = mock_slack.wait_for("chat.postMessage")[0].data

    assert posted["channel"] == "CGENERAL"
    assert posted["thread_ts"] == mention["event"]["ts"]
    assert "North Rhine-Westphalia vs Limburg" in block_text(posted["blocks"])
    assert_valid_blocks(posted["blocks"])
    assert tracebacks() == []


def test_a_private_answer_to_a_mention_stays_private_to_who_asked(slack_bot, mock_slack):
    mention = events.mention("benchmark Atlantis")
    events.deliver(slack_bot.slack_url, mention)
    whispered = mock_slack.wait_for("chat.postEphemeral")[0].data

    assert (whispered["user"], whispered["thread_ts"]) == ("UPARTNER", mention["event"]["ts"])
    assert "Atlantis" in whispered["text"]
    assert mock_slack.of("chat.postMessage") == []
