"""Pilot updates written to the bot in Teams, through the real web process (/api/messages).

Replies come back either in the HTTP answer (``expectReplies``) or at the stub connector; a
Teams bot cannot react, so a logged update is acknowledged by one short reply.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from storage.db import make_engine, make_session_factory
from storage.models import PilotUpdate, SeenEvent
from tests.bot.teams.conftest import messages_url
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import RunningBot, start_bot
from tests.support.teams import (
    CHANNEL_CONVERSATION,
    TENANT_ID,
    USER_AAD_ID,
    activity,
    card_text,
    cards,
    post_activity,
)

DONE_WHEN = "update skills: Teacher training held in Warsaw, 24 teachers"
CHANNEL = "19:abc123@thread.tacv2"
SKILLS_CHANNEL = "19:skills0000000000000000000000000@thread.tacv2"
TEAM_GROUP_ID = "11111111-2222-3333-4444-000000000001"
COORDINATOR_AAD = "00000000-0000-0000-0000-0000000000c0"
NEWCOMER_AAD = "00000000-0000-0000-0000-0000000000d4"
# A personal chat's id as Teams sends it: "a:1" and well over 100 characters.
PERSONAL_CHAT = "a:1" + "pQ7x-Vb3kLm9ZrT2" * 8
PILOTS = ("Chemical parks as knowledge sites", "Open innovation", "Skills foresight")

_ids = itertools.count(1700000500000)


def at(minutes: int = 0) -> str:
    """An activity timestamp, ``minutes`` from now (the bot's clock is the real one)."""
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@pytest.fixture
def pilot_bot(teams_settings):
    settings = replace(teams_settings, coordinators=frozenset({COORDINATOR_ID, COORDINATOR_AAD}))
    running = start_bot(settings)
    yield running
    running.stop()


def channel_post(
    text: str | None, connector, *, channel: str = CHANNEL, thread: str | None = None, **extra
) -> dict:
    """A new post in a channel (the first message of its thread), or a reply in ``thread``."""
    message_id = str(next(_ids))
    return activity(
        text,
        service_url=connector.service_url,
        activity_id=message_id,
        conversation=f"{channel};messageid={thread or message_id}",
        channelData={
            "tenant": {"id": TENANT_ID},
            "team": {"id": "19:team999@thread.tacv2", "aadGroupId": TEAM_GROUP_ID},
            "channel": {"id": channel},
        },
        timestamp=at(),
        **extra,
    )


def changed(original: dict, kind: str, event: str, text: str | None, at: str) -> dict:
    """Teams' messageUpdate / messageDelete for ``original``: same id, its own time."""
    body = {
        **original,
        "type": kind,
        "timestamp": at,
        "channelData": {**original["channelData"], "eventType": event},
    }
    body.pop("deliveryMode", None)
    if text is None:
        body.pop("text", None)
        body.pop("entities", None)
    else:
        body["text"] = f"<at>ChemClust</at> {text}"
    return body


def ask(bot: RunningBot, connector, line: str, **extra) -> list[dict]:
    """A message with expectReplies; the cards that came back in the HTTP answer."""
    body = activity(
        line, service_url=connector.service_url, expect_replies=True, timestamp=at(), **extra
    )
    answer = post_activity(messages_url(bot), body)
    assert answer.status == 200, answer.text
    return cards(answer.json()["activities"])


def deliver(bot: RunningBot, body: dict) -> None:
    """Normal delivery: 202 at once, replies POSTed to the stub connector during the turn."""
    answer = post_activity(messages_url(bot), body)
    assert answer.status in (200, 202), answer.text


def sent_texts(connector) -> list[str]:
    return [card_text(card) for m in connector.messages() for card in cards([m.body])]


def stored(bot: RunningBot) -> list[PilotUpdate]:
    engine = make_engine(bot.runtime.settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            query = select(PilotUpdate).options(
                selectinload(PilotUpdate.region), selectinload(PilotUpdate.pilot)
            )
            return list(session.scalars(query.order_by(PilotUpdate.id)))
    finally:
        engine.dispose()


def join(bot: RunningBot, connector, region: str, **extra) -> None:
    [card] = ask(bot, connector, f"chemclust join {region}", **extra)
    assert f"You now represent **{region}**" in card_text(card)


def status_lines(bot: RunningBot, connector, pilot: str) -> list[str]:
    [card] = ask(bot, connector, f"/pilot status {pilot}")
    return [e["text"] for e in card["body"] if e["type"] == "TextBlock"]


# Done when (issue 7, item 6): logged like Slack's, acknowledged by a short reply, once.
def test_an_update_is_logged_acknowledged_once_and_shown_under_the_region(pilot_bot, connector):
    join(pilot_bot, connector, "Masovia")
    update = channel_post(DONE_WHEN, connector)
    deliver(pilot_bot, update)
    deliver(pilot_bot, update)  # Teams retries the very same activity

    [reply] = connector.messages()
    assert (
        reply.path
        == f"/v3/conversations/{CHANNEL};messageid={update['id']}/activities/" + (update["id"])
    )  # in the message's own thread
    [said] = sent_texts(connector)
    assert "✅ Logged for **Masovia** under **Skills foresight**" in said
    assert "no command" not in said

    [row] = stored(pilot_bot)
    assert (row.platform, row.source, row.channel_id, row.message_id) == (
        "teams",
        "message",
        CHANNEL,
        update["id"],
    )
    assert (row.author_id, row.author_name) == (USER_AAD_ID, "Ada Lovelace")
    assert row.text == "Teacher training held in Warsaw, 24 teachers"
    assert row.region.name == "Masovia"
    assert row.permalink == (
        f"https://teams.microsoft.com/l/message/19%3Aabc123%40thread.tacv2/{update['id']}"
        f"?tenantId={TENANT_ID}&groupId={TEAM_GROUP_ID}&parentMessageId={update['id']}"
        f"&createdTime={update['id']}"
    )

    lines = status_lines(pilot_bot, connector, "skills")
    [masovia] = [line for line in lines if line.startswith("**Masovia**")]
    assert "today" in masovia
    assert "Teacher training held in Warsaw, 24 teachers" in masovia
    assert f"[open]({row.permalink})" in masovia
    latest = [line for line in lines if "Ada Lovelace" in line]
    assert len(latest) == 1  # among the last ten, by display name
    assert "**Masovia**" in latest[0]
    assert sum("Teacher training held in Warsaw" in line for line in lines) == 2


def test_tags_milestones_and_a_personal_chat(pilot_bot, connector):
    ask(
        pilot_bot,
        connector,
        'pilot milestone add open innovation "Matchmaking day" due 15 Dec 2026',
        user_aad_id=COORDINATOR_AAD,
    )
    join(pilot_bot, connector, "Asturias", conversation=PERSONAL_CHAT, conversation_type="personal")
    [card] = ask(
        pilot_bot,
        connector,
        "Update open innovation: Matchmaking day booked, 40 SMEs [on track] [M1]",
        conversation=PERSONAL_CHAT,
        conversation_type="personal",
    )
    assert card["body"][0]["text"] == (
        "✅ Logged for **Asturias** under **Open innovation** \\[on track\\] \\[M1\\]"
    )  # the tags as typed, escaped for Teams' markdown
    [row] = stored(pilot_bot)
    assert (row.channel_id, row.status, row.text) == (
        PERSONAL_CHAT,
        "on_track",
        "Matchmaking day booked, 40 SMEs",
    )
    assert row.permalink is None  # a bot's personal chat has no link Teams would open


def test_unknown_pilot_gets_a_note_with_the_pilots_and_nothing_is_stored(pilot_bot, connector):
    attempt = channel_post("update robotics: prototype ready", connector)
    deliver(pilot_bot, attempt)
    deliver(pilot_bot, attempt)
    [note] = sent_texts(connector)
    assert "I did not log this as a pilot update" in note
    assert "“robotics”" in note
    for pilot in PILOTS:
        assert pilot in note
    assert connector.messages()[0].path.endswith(f"/activities/{attempt['id']}")
    assert stored(pilot_bot) == []


def test_an_author_without_region_is_logged_unassigned_and_nudged_in_one_reply(
    pilot_bot, connector
):
    [card] = ask(
        pilot_bot, connector, "update parks: site visit in Leuna", user_aad_id=NEWCOMER_AAD
    )
    said = card_text(card)
    assert "✅ Logged for **unassigned** under **Chemical parks as knowledge sites**" in said
    assert "chemclust join" in said
    [row] = stored(pilot_bot)
    assert (row.author_id, row.region) == (NEWCOMER_AAD, None)


def test_casual_chat_and_commands_are_not_logged(pilot_bot, connector):
    join(pilot_bot, connector, "Novara")
    for line in (
        "Good morning!",
        "update skills",  # no colon: not an update, and not a command either
        "update: the train is late",  # not a linked channel
        "update from the meeting with the regional ministry yesterday: all fine",
    ):
        [card] = ask(pilot_bot, connector, line)
        assert "I do not understand" in card_text(card), line
    [card] = ask(pilot_bot, connector, "pilot status")
    assert card["body"][0]["text"] == "Pilot actions at a glance"
    assert stored(pilot_bot) == []


def test_update_colon_in_a_linked_channel_counts_for_new_posts_in_any_thread(pilot_bot, connector):
    join(pilot_bot, connector, "Masovia")
    # The coordinator links the channel from one thread of it ...
    link = channel_post("pilot link skills", connector, channel=SKILLS_CHANNEL)
    link["from"]["aadObjectId"] = COORDINATOR_AAD
    deliver(pilot_bot, link)
    assert "This channel is now linked to **Skills foresight**" in sent_texts(connector)[0]
    assert "@ChemClust update:" in sent_texts(connector)[0]  # how the bot reads, in Teams
    # ... and a new post elsewhere in the channel is logged under that pilot.
    post = channel_post("update: job fair with 300 pupils", connector, channel=SKILLS_CHANNEL)
    deliver(pilot_bot, post)
    assert "✅ Logged for **Masovia** under **Skills foresight**" in sent_texts(connector)[1]
    # A reply in a thread is conversation about it, not a new update.
    reply = channel_post(
        "update: more photos", connector, channel=SKILLS_CHANNEL, thread=post["id"]
    )
    deliver(pilot_bot, reply)
    assert "I do not understand" in sent_texts(connector)[2]
    assert [(r.pilot.key, r.channel_id, r.text) for r in stored(pilot_bot)] == [
        ("skills", SKILLS_CHANNEL, "job fair with 300 pupils")
    ]


def test_edits_follow_the_message_and_a_delete_marks_it_removed(pilot_bot, connector):
    join(pilot_bot, connector, "Novara")
    original = channel_post("update skills: curriculum draft [delayed]", connector)
    deliver(pilot_bot, original)
    assert len(connector.messages()) == 1  # the ✅ reply

    edit = changed(
        original,
        "messageUpdate",
        "editMessage",
        "update open innovation: curriculum draft sent [done]",
        at=at(5),
    )
    deliver(pilot_bot, edit)
    deliver(pilot_bot, edit)  # retried
    [row] = stored(pilot_bot)
    assert (row.pilot.key, row.text, row.status) == (
        "open-innovation",
        "curriculum draft sent",
        "done",
    )
    assert row.edited_at is not None
    # A second edit of the same message carries the same id but is an edit of its own.
    again = changed(
        original,
        "messageUpdate",
        "editMessage",
        "update open innovation: curriculum draft sent to 12 schools [done]",
        at=at(7),
    )
    deliver(pilot_bot, again)
    assert stored(pilot_bot)[0].text == "curriculum draft sent to 12 schools"
    assert len(connector.messages()) == 1  # edits of a logged update are quiet

    deliver(pilot_bot, changed(original, "messageDelete", "softDeleteMessage", None, at=at(9)))
    [row] = stored(pilot_bot)
    assert row.removed_at is not None  # kept for the audit trail
    lines = status_lines(pilot_bot, connector, "open innovation")
    assert not any("curriculum draft" in line for line in lines)

    undeleted = changed(
        original,
        "messageUpdate",
        "undeleteMessage",
        "update open innovation: curriculum draft sent to 12 schools [done]",
        at=at(11),
    )
    deliver(pilot_bot, undeleted)
    deliver(pilot_bot, undeleted)  # retried: said once
    assert len(connector.messages()) == 2
    assert stored(pilot_bot)[0].removed_at is None
    restored = sent_texts(connector)[-1]
    assert "✅ Logged for **Novara** under **Open innovation** \\\\[done\\\\]" in restored


def test_an_edit_into_conversation_takes_the_update_back_and_says_so(pilot_bot, connector):
    original = channel_post("update parks: site visit in Leuna", connector)
    deliver(pilot_bot, original)
    talk = changed(
        original, "messageUpdate", "editMessage", "site visit in Leuna went well", at=at(30)
    )
    deliver(pilot_bot, talk)
    assert "No longer logged as a pilot update" in sent_texts(connector)[-1]
    [row] = stored(pilot_bot)
    assert row.removed_at is not None
    # An edit that turns a message into an update logs it then.
    typo = channel_post("updte skills: school visit", connector)
    deliver(pilot_bot, typo)
    fixed = changed(typo, "messageUpdate", "editMessage", "update skills: school visit", at=at(31))
    deliver(pilot_bot, fixed)
    assert "✅ Logged for **unassigned** under **Skills foresight**" in sent_texts(connector)[-1]
    assert [r.text for r in stored(pilot_bot)] == ["site visit in Leuna", "school visit"]


def _forget_deliveries(bot: RunningBot) -> None:
    engine = make_engine(bot.runtime.settings.database_url)
    with make_session_factory(engine).begin() as session:
        session.execute(delete(SeenEvent))
    engine.dispose()


def test_a_message_already_stored_is_not_logged_again_nor_run_as_a_command(pilot_bot, connector):
    """Should a retry get past the delivery records (pruned, or lost), the update's own unique
    key still holds it: nothing is stored twice, and no "no such command" answer appears."""
    update = channel_post(DONE_WHEN, connector)
    deliver(pilot_bot, update)
    _forget_deliveries(pilot_bot)
    deliver(pilot_bot, update)
    assert len(connector.messages()) == 1
    assert len(stored(pilot_bot)) == 1


@pytest.fixture
def two_processes(pilot_bot, teams_settings):
    other = start_bot(replace(teams_settings, coordinators=pilot_bot.runtime.settings.coordinators))
    yield pilot_bot, other
    other.stop()


def test_the_same_activity_reaching_two_processes_at_once_is_stored_and_answered_once(
    two_processes, connector
):
    update = channel_post("update skills: job shadowing week", connector)
    start = threading.Barrier(len(two_processes))

    def post(bot: RunningBot) -> None:
        start.wait()
        deliver(bot, update)

    threads = [threading.Thread(target=post, args=(bot,)) for bot in two_processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(stored(two_processes[0])) == 1
    assert len(connector.messages()) == 1


def test_channel_mention_of_the_conversation_used_by_other_tests_still_works(pilot_bot, connector):
    """The shared test activity (a reply in an older thread) is logged like any other."""
    [card] = ask(pilot_bot, connector, "update skills: a reply in a thread counts")
    assert "✅ Logged" in card_text(card)
    [row] = stored(pilot_bot)
    assert row.channel_id == CHANNEL_CONVERSATION.split(";")[0]
    assert "parentMessageId=1700000000001" in row.permalink
