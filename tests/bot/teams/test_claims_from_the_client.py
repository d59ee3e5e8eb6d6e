"""What a Teams client sends back is a claim: forms, people it mentions, retried activities.

Through the real web process: activities posted to /api/messages, replies read from the HTTP
answer (``expectReplies``) or from the stub connector.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from storage.db import make_engine, make_session_factory
from storage.models import Member, PilotUpdate
from tests.bot.teams.conftest import messages_url
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import RunningBot, start_bot
from tests.support.teams import activity, card_text, cards, post_activity

ADA = "00000000-0000-0000-0000-0000000000a1"
BOB = "00000000-0000-0000-0000-0000000000b2"
BOSS = "00000000-0000-0000-0000-0000000000c0"
ADA_CHAT = "a:1personal-chat-with-ada"
BOB_CHAT = "a:1personal-chat-with-bob"
BOSS_CHAT = "a:1personal-chat-with-boss"


@pytest.fixture
def bot(teams_settings):
    settings = replace(teams_settings, coordinators=frozenset({COORDINATOR_ID, BOSS}))
    running = start_bot(settings)
    yield running
    running.stop()


def say(
    bot: RunningBot, connector, line: str | None, *, who: str, chat: str, **extra
) -> list[dict]:
    """A message (or card submission) in a personal chat; the cards that came back."""
    body = activity(
        line,
        service_url=connector.service_url,
        conversation=chat,
        conversation_type="personal",
        user_aad_id=who,
        user_name={ADA: "Ada Lovelace", BOB: "Bob Builder", BOSS: "The Boss"}[who],
        expect_replies=True,
        **extra,
    )
    answer = post_activity(messages_url(bot), body)
    assert answer.status == 200, answer.text
    return cards(answer.json()["activities"])


def submit(bot, connector, data: dict, *, who: str, chat: str) -> str:
    return "\n".join(
        card_text(c) for c in say(bot, connector, None, who=who, chat=chat, value=data)
    )


def read(bot: RunningBot, model, *where):
    engine = make_engine(bot.runtime.settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(model).where(*where)))
    finally:
        engine.dispose()


def log_form(bot, connector, *, who: str, chat: str) -> dict:
    """The form card ``pilot log`` opens, as Teams shows it."""
    [card] = say(bot, connector, "pilot log", who=who, chat=chat)
    return card


def test_a_forged_form_state_cannot_make_someone_the_author_of_anothers_update(bot, connector):
    say(bot, connector, "chemclust join Masovia", who=ADA, chat=ADA_CHAT)
    say(bot, connector, "pilot log skills Teacher training held in Warsaw", who=ADA, chat=ADA_CHAT)
    say(bot, connector, "chemclust join Limburg", who=BOB, chat=BOB_CHAT)
    [ada_update] = read(bot, PilotUpdate)
    # Bob writes the state the card used to carry, naming himself as the author.
    forged = json.dumps(
        {
            "channel": ada_update.channel_id or ADA_CHAT,
            "message": ada_update.message_id or "1",
            "author": BOB,
            "posted": "2026-11-28T10:00:00+00:00",
            "link": "",
        }
    )
    shown = submit(
        bot,
        connector,
        {
            "form_id": "pilot.log",
            "form_state": forged,
            "field:pilot": "skills",
            "field:text": "hijacked",
        },
        who=BOB,
        chat=BOB_CHAT,
    )
    assert "not one I handed out" in shown
    assert [u.text for u in read(bot, PilotUpdate)] == ["Teacher training held in Warsaw"]


def test_a_form_answers_only_the_person_it_was_opened_for(bot, connector):
    say(bot, connector, "chemclust join Masovia", who=ADA, chat=ADA_CHAT)
    card = log_form(bot, connector, who=ADA, chat=ADA_CHAT)
    data = card["actions"][0]["data"]
    assert set(data) == {"form_id", "form_state"}  # a token, no state to change
    shown = submit(
        bot,
        connector,
        {**data, "field:pilot": "skills", "field:text": "not mine to write"},
        who=BOB,
        chat=BOB_CHAT,
    )
    assert "opened by someone else" in shown
    assert read(bot, PilotUpdate) == []


def test_a_form_submitted_twice_is_saved_once_and_mistakes_come_back_on_the_card(bot, connector):
    say(bot, connector, "chemclust join Masovia", who=ADA, chat=ADA_CHAT)
    data = log_form(bot, connector, who=ADA, chat=ADA_CHAT)["actions"][0]["data"]
    [again] = say(bot, connector, None, who=ADA, chat=ADA_CHAT, value={**data, "field:text": " "})
    assert "Say what happened." in card_text(again)
    assert again["actions"][0]["data"] == data  # the same form, to correct and send again
    filled = {**data, "field:pilot": "skills", "field:text": "Curriculum approved"}
    first = submit(bot, connector, filled, who=ADA, chat=ADA_CHAT)
    second = submit(bot, connector, filled, who=ADA, chat=ADA_CHAT)  # a double click
    assert "Logged for" in first
    assert "already submitted" in second
    assert [u.text for u in read(bot, PilotUpdate)] == ["Curriculum approved"]


def told(bot: RunningBot, connector, line: str, *, who: str, chat: str, **extra) -> str:
    """A message delivered as Teams does (202 at once, the answer POSTed to the connector
    during the turn, which can then also ask the conversation's roster); the answer's text."""
    seen = len(connector.messages())
    body = activity(
        line,
        service_url=connector.service_url,
        conversation=chat,
        conversation_type="personal",
        user_aad_id=who,
        **extra,
    )
    assert post_activity(messages_url(bot), body).status in (200, 202)
    answer = connector.wait_for(seen + 1)[seen]
    return "\n".join(card_text(c) for c in cards([answer.body]))


def mention_of(name: str, member_id: str) -> dict:
    return {
        "type": "mention",
        "text": f"<at>{name}</at>",
        "mentioned": {"id": member_id, "name": name},
    }


def test_a_coordinator_names_a_coordinator_by_mentioning_them(bot, connector):
    connector.members["29:bob-in-teams"] = {
        "id": "29:bob-in-teams",
        "name": "Bob Builder",
        "aadObjectId": BOB,
    }
    shown = told(
        bot,
        connector,
        "chemclust coordinator add <at>Bob Builder</at>",
        who=BOSS,
        chat=BOSS_CHAT,
        entities=[mention_of("Bob Builder", "29:bob-in-teams")],
    )
    assert "is now a coordinator" in shown
    [bob] = read(bot, Member, Member.platform_user_id == BOB)
    assert (bob.platform, bob.role, bob.display_name) == ("teams", "coordinator", "Bob Builder")


def test_a_name_typed_without_a_mention_makes_nobody_a_coordinator(bot, connector):
    before = read(bot, Member)
    shown = "\n".join(
        card_text(c)
        for c in say(bot, connector, "chemclust coordinator add @Ada", who=BOSS, chat=BOSS_CHAT)
    )
    assert "not a person I can recognise" in shown
    # Only the coordinator's own row (recorded on first contact) is new.
    assert {m.platform_user_id for m in read(bot, Member)} - {
        m.platform_user_id for m in before
    } == {BOSS}


def test_a_mention_teams_cannot_resolve_is_refused(bot, connector):
    shown = told(
        bot,
        connector,
        "chemclust coordinator add <at>Ghost</at>",
        who=BOSS,
        chat=BOSS_CHAT,
        entities=[mention_of("Ghost", "29:not-in-the-roster")],
    )
    assert "not a person I can recognise" in shown
    assert read(bot, Member, Member.display_name == "Ghost") == []


def test_an_activity_whose_work_failed_is_done_when_teams_retries_it(bot, connector, monkeypatch):
    """The claim of an activity commits with its work: a crash before that leaves it to the
    retry, which must not be taken for a duplicate."""
    from commands.benchmark import command

    real_load = command.load
    failures = iter([RuntimeError("the process died here")])

    def load_once_broken(*args, **kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_load(*args, **kwargs)

    monkeypatch.setattr(command, "load", load_once_broken)
    body = activity(
        "benchmark Limburg",
        service_url=connector.service_url,
        conversation=ADA_CHAT,
        conversation_type="personal",
        user_aad_id=ADA,
        expect_replies=True,
    )
    first = post_activity(messages_url(bot), body)
    assert "error id" in "\n".join(card_text(c) for c in cards(first.json()["activities"]))
    retry = post_activity(messages_url(bot), body)
    [profile] = cards(retry.json()["activities"])
    assert "Limburg" in card_text(profile)
    assert "error id" not in card_text(profile)
    # And once it is done, a further retry is recognised.
    third = post_activity(messages_url(bot), body)
    assert cards(third.json()["activities"]) == []
