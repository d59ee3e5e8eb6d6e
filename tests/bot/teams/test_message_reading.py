"""How a Teams activity becomes a neutral message: where it lives, its text, links, delivery."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from microsoft_agents.activity import Activity

from bot.teams.conversations import delivery_key
from bot.teams.identity import from_activity, thread_root_id, whole_channel_id
from bot.teams.links import channel_message_link, chat_message_link
from bot.teams.messages import author, change_kind, read_message
from bot.teams.text import message_text
from commands.messages import DELETED, EDITED, POSTED
from tests.support.teams import CHANNEL_CONVERSATION, PERSONAL_CONVERSATION, activity

SERVICE = "http://127.0.0.1:1/"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def parsed(text: str | None = "update skills: x", **extra) -> Activity:
    extra.setdefault("timestamp", NOW.isoformat())
    return Activity.model_validate(activity(text, service_url=SERVICE, **extra))


def test_a_channel_message_lives_in_the_channel_and_its_thread():
    reply = parsed(activity_id="1700000000042")
    who = from_activity(reply)
    assert who.channel_id == CHANNEL_CONVERSATION  # answers go to the thread, as before
    assert who.parent_channel_id == "19:abc123@thread.tacv2"
    assert who.whole_channel_id == "19:abc123@thread.tacv2"
    message = read_message(reply, who, POSTED, now=NOW)
    assert (message.channel_id, message.message_id, message.thread_id) == (
        "19:abc123@thread.tacv2",
        "1700000000042",
        "1700000000001",
    )
    assert not message.top_level
    assert (message.author_id, message.text, message.posted_at) == (
        who.user_id,
        "update skills: x",
        NOW,
    )
    first = parsed(
        activity_id="1700000000001", channelData={"channel": {"id": "19:from-data@thread.tacv2"}}
    )
    assert whole_channel_id(first) == "19:from-data@thread.tacv2"  # channelData is definitive
    assert read_message(first, from_activity(first), POSTED, now=NOW).top_level


def test_a_chat_is_its_own_channel_without_threads():
    chat = parsed(conversation=PERSONAL_CONVERSATION, conversation_type="personal")
    who = from_activity(chat)
    assert (who.parent_channel_id, who.whole_channel_id) == (None, PERSONAL_CONVERSATION)
    assert (whole_channel_id(chat), thread_root_id(chat)) == (None, None)
    message = read_message(chat, who, POSTED, now=NOW)
    assert (message.channel_id, message.thread_id) == (PERSONAL_CONVERSATION, None)
    assert message.lookups.permalink(message.channel_id, message.message_id) is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("<at>ChemClust</at> update skills: done", "update skills: done"),
        (
            "update skills: met <at>Jan Kowalski</at> &amp; team",
            "update skills: met @Jan Kowalski & team",
        ),
        ("<p>update skills:</p><p>two&nbsp;workshops</p>", "update skills:\ntwo workshops"),
        (None, ""),
    ],
)
def test_message_text_reads_as_people_see_it(typed, read):
    assert message_text(typed) == read


def test_an_edit_loses_the_bots_mention_wherever_it_stands():
    body = activity("update skills: held", service_url=SERVICE, kind="messageUpdate")
    body["text"] = "update skills: held <at>ChemClust</at> in Warsaw"
    edit = Activity.model_validate(body)
    assert read_message(edit, from_activity(edit), EDITED, now=NOW).text == (
        "update skills: held in Warsaw"
    )


def test_links_to_channel_and_chat_messages():
    assert channel_message_link(
        channel_id="19:abc@thread.tacv2",
        message_id="1700000000042",
        thread_root_id="1700000000001",
        tenant_id="tenant-1",
        team_group_id=None,
    ) == (
        "https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000042"
        "?tenantId=tenant-1&parentMessageId=1700000000001&createdTime=1700000000042"
    )
    assert chat_message_link(chat_id="19:meeting_x@thread.v2", message_id="17", tenant_id=None) == (
        "https://teams.microsoft.com/l/message/19%3Ameeting_x%40thread.v2/17"
        "?context=%7B%22contextType%22%3A%22chat%22%7D"
    )
    assert chat_message_link(chat_id="a:1personal", message_id="17", tenant_id="t") is None


@pytest.mark.parametrize(
    ("kind", "event", "expected"),
    [
        ("messageUpdate", "editMessage", EDITED),
        ("messageUpdate", "undeleteMessage", EDITED),
        ("messageDelete", "softDeleteMessage", DELETED),
        ("messageUpdate", None, EDITED),
        ("messageUpdate", "somethingNew", None),
        ("message", None, None),
    ],
)
def test_change_kinds(kind, event, expected):
    data = {"eventType": event} if event else {}
    assert change_kind(parsed(kind=kind, channelData=data)) == expected


def test_every_edit_is_a_delivery_of_its_own_and_a_retry_is_the_same():
    def edit(at: str) -> Activity:
        return parsed(
            kind="messageUpdate",
            activity_id="1700000000042",
            timestamp=at,
            channelData={"eventType": "editMessage"},
        )

    message = parsed(activity_id="1700000000042")
    first, second = edit("2026-11-28T10:05:00Z"), edit("2026-11-28T10:06:00Z")
    assert delivery_key(message) == delivery_key(parsed(activity_id="1700000000042"))
    # Teams numbers activities per conversation: the same id elsewhere is another activity.
    elsewhere = parsed(activity_id="1700000000042", conversation="a:1another-chat")
    assert delivery_key(elsewhere) != delivery_key(message)
    # It fits the claim's column whatever the conversation id's length.
    assert len(delivery_key(message)) <= 128
    assert delivery_key(first) == delivery_key(edit("2026-11-28T10:05:00Z"))
    assert len({delivery_key(message), delivery_key(first), delivery_key(second)}) == 3


def test_a_delete_without_sender_still_finds_its_group():
    body = activity(None, service_url=SERVICE, kind="messageDelete")
    del body["from"]
    deleted = Activity.model_validate(body)
    who = author(deleted)
    assert (who.user_id, who.workspace_id) == ("unknown", "tenant-0001")
    assert read_message(deleted, who, DELETED, now=NOW).author_id is None
