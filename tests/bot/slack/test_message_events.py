"""Which Slack events are people's messages, and what their text says to a reader."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.slack.events import read_event
from bot.slack.message_text import plain_text, without_leading_mention
from commands.messages import DELETED, EDITED, NO_LOOKUPS, POSTED
from tests.support import slack_events as events


def test_slack_markup_reads_as_plain_text():
    raw = (
        "met <@U1|anna> in <#C2|general>, see <https://x.org/a?b=1|the report> &amp; "
        "<https://y.org> &lt;3 <!here> <mailto:a@b.eu|a@b.eu> <!subteam^S1|@chem>"
    )
    assert plain_text(raw) == (
        "met @anna in #general, see the report (https://x.org/a?b=1) & https://y.org <3 "
        "@here a@b.eu @chem"
    )


def test_only_a_leading_mention_of_the_bot_is_removed():
    assert without_leading_mention("<@UBOT> update skills: x", "UBOT") == "update skills: x"
    assert without_leading_mention("<@UBOT|chem>, hello", "UBOT") == "hello"
    assert without_leading_mention("hello <@UBOT>", "UBOT") == "hello <@UBOT>"
    assert without_leading_mention("<@UOTHER> update", "UBOT") == "<@UOTHER> update"


def test_a_posted_message_becomes_a_chat_message_of_its_author():
    body = events.message(
        "<@UBOT> update skills: at <#C9|plant>", ts="1764320400.000100", thread_ts="1764320000.1"
    )
    identity, message = read_event(body, "UBOT", NO_LOOKUPS)
    assert (identity.user_id, identity.workspace_id, identity.channel_id) == (
        "UPARTNER",
        "T0001",
        "CGENERAL",
    )
    assert message.kind == POSTED
    assert message.text == "update skills: at #plant"
    assert message.posted_at == datetime(2025, 11, 28, 9, 0, 0, 100, tzinfo=UTC)
    assert message.delivery_id == body["event_id"]
    assert message.thread_id == "1764320000.1"
    assert not message.top_level


def test_edits_and_deletions_carry_the_original_message_id():
    original = events.message("update skills: draft", ts="1764320400.000100")
    _, edit = read_event(events.edited(original, "update skills: final"), "UBOT", NO_LOOKUPS)
    assert (edit.kind, edit.message_id, edit.text) == (
        EDITED,
        "1764320400.000100",
        "update skills: final",
    )
    _, gone = read_event(events.deleted(original), "UBOT", NO_LOOKUPS)
    assert (gone.kind, gone.message_id, gone.author_id) == (
        DELETED,
        "1764320400.000100",
        "UPARTNER",
    )


def test_what_people_did_not_write_is_not_a_message():
    bot = events.message("update skills: x", bot_id="B1")
    own = events.message("update skills: x", user="UBOT")
    join = events.message("has joined", subtype="channel_join")
    original = events.message("update skills: x")
    unfurl = events.edited(original, "update skills: x")
    for body in (bot, own, join, unfurl):
        assert read_event(body, "UBOT", NO_LOOKUPS) is None
