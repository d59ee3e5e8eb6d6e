"""Proactive sends (what reminders will use): a Reply into a stored conversation, via the stub."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from bot.teams.proactive import UnknownConversation
from commands.reply import Paragraph, Reply, When, text
from tests.bot.teams.conftest import messages_url, on_bot_loop, teams_of
from tests.support.teams import (
    BOT_ID,
    CHANNEL_CONVERSATION,
    PERSONAL_CONVERSATION,
    USER_AAD_ID,
    activity,
    cards,
    post_activity,
)

WORKSHOP = Reply(
    heading="Workshop tomorrow",
    parts=(
        Paragraph(
            text(
                "Pilot workshop at ",
                When(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "Europe/Brussels"),
            )
        ),
    ),
    summary="Workshop tomorrow",
)


def test_a_reply_reaches_a_stored_channel_conversation_once(teams_bot, connector):
    addressed = activity("benchmark", service_url=connector.service_url, expect_replies=True)
    assert post_activity(messages_url(teams_bot), addressed).status == 200

    message_id = on_bot_loop(
        teams_bot, teams_of(teams_bot).sender.send(CHANNEL_CONVERSATION, WORKSHOP)
    )

    sent = connector.wait_for(1)
    assert len(sent) == 1
    assert sent[0].path.startswith(f"/v3/conversations/{CHANNEL_CONVERSATION}/activities")
    assert message_id == "reply-1"
    body = sent[0].body
    assert body["from"]["id"] == BOT_ID
    assert body["summary"] == "Workshop tomorrow"
    card = cards([body])[0]
    assert card["body"][0]["text"] == "Workshop tomorrow"
    assert (
        "{{DATE(2026-12-01T09:00:00Z, SHORT)}} {{TIME(2026-12-01T09:00:00Z)}}"
        in (card["body"][1]["text"])
    )


def test_a_reply_reaches_a_person_in_their_personal_chat(teams_bot, connector):
    personal = activity(
        "chemclust help",
        service_url=connector.service_url,
        conversation=PERSONAL_CONVERSATION,
        conversation_type="personal",
        expect_replies=True,
    )
    post_activity(messages_url(teams_bot), personal)
    on_bot_loop(teams_bot, teams_of(teams_bot).sender.send_to_person(USER_AAD_ID, WORKSHOP))
    assert connector.wait_for(1)[0].body["conversation"]["id"] == PERSONAL_CONVERSATION


def test_an_unknown_conversation_or_person_is_an_error_the_caller_sees(teams_bot, connector):
    sender = teams_of(teams_bot).sender
    with pytest.raises(UnknownConversation):
        on_bot_loop(teams_bot, sender.send("19:never-seen@thread.tacv2", WORKSHOP))
    with pytest.raises(UnknownConversation):
        on_bot_loop(teams_bot, sender.send_to_person("nobody", WORKSHOP))
    assert connector.sent == []


def test_a_connector_that_cannot_be_reached_is_an_error_the_caller_sees(teams_bot, connector):
    addressed = activity("benchmark", service_url=connector.service_url, expect_replies=True)
    post_activity(messages_url(teams_bot), addressed)
    connector.go_away()
    with pytest.raises(aiohttp.ClientConnectionError):
        on_bot_loop(teams_bot, teams_of(teams_bot).sender.send(CHANNEL_CONVERSATION, WORKSHOP))
