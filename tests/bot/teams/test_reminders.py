"""Reminders in Teams through the real web process: events created from Teams activities, the
dispatcher on its timer, proactive messages at the stub connector.

Done when: "A workshop created from Teams reaches that Teams conversation once when due,
through the stub connector."
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.models import Event, Reminder
from tests.bot.teams.conftest import messages_url
from tests.bot.test_processes import due_now
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import DISPATCH_SECONDS, RunningBot, dispatch_rounds, start_bot
from tests.support.teams import (
    CHANNEL_CONVERSATION,
    PERSONAL_CONVERSATION,
    USER_AAD_ID,
    activity,
    card_buttons,
    card_text,
    cards,
    post_activity,
)

PUBLIC_URL = "https://chemclust.example.org"
# Ada (USER_AAD_ID) is a coordinator with a personal chat; Bea and Cem are partners.
BEA = "00000000-0000-0000-0000-0000000000b2"
BEA_CHAT = "a:1personal-chat-with-bea"
CEM = "00000000-0000-0000-0000-0000000000c3"


@pytest.fixture
def reminder_settings(teams_settings):
    return replace(
        teams_settings,
        scheduler_enabled=True,
        dispatch_seconds=DISPATCH_SECONDS,
        public_url=PUBLIC_URL,
        coordinators=frozenset({COORDINATOR_ID, USER_AAD_ID}),
    )


@pytest.fixture
def reminder_bot(reminder_settings):
    running = start_bot(reminder_settings)
    yield running
    running.stop()


def say(
    bot: RunningBot,
    connector,
    line: str | None,
    *,
    user: str = USER_AAD_ID,
    name: str = "Ada Lovelace",
    conversation: str = CHANNEL_CONVERSATION,
    value: dict | None = None,
) -> dict:
    """Post a line (or a card submission) as Teams does; the one card that comes back."""
    personal = conversation.startswith("a:")
    body = activity(
        line,
        service_url=connector.service_url,
        conversation=conversation,
        conversation_type="personal" if personal else "channel",
        user_aad_id=user,
        user_name=name,
        value=value,
        expect_replies=True,
    )
    answer = post_activity(messages_url(bot), body)
    assert answer.status == 200, answer.text
    (card,) = cards(answer.json()["activities"])
    return card


def reminder_rows(bot: RunningBot) -> list[Reminder]:
    with bot.runtime.core.sessions() as session:
        return list(session.scalars(select(Reminder).order_by(Reminder.id)))


def events(bot: RunningBot) -> list[Event]:
    with bot.runtime.core.sessions() as session:
        return list(session.scalars(select(Event).where(Event.platform.is_not(None))))


def wait_until(condition, *, timeout: float = 20.0, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def submit_actions(card: dict) -> dict[str, dict]:
    """The card's Action.Submit buttons: title -> data."""
    return card_buttons(card, "Action.Submit", "data")


def the_card(message) -> dict:
    (card,) = cards([message.body])
    return card


# Done when -----------------------------------------------------------------------------------


def test_a_workshop_created_in_a_teams_channel_reaches_it_once_when_due(reminder_bot, connector):
    created = say(
        reminder_bot, connector, 'workshop add "Teams pilot workshop" in 1 hour remind 0m'
    )
    assert "New workshop: Teams pilot workshop" in card_text(created)
    (event,) = events(reminder_bot)
    assert event.platform == "teams"
    assert event.conversation == {"channel": CHANNEL_CONVERSATION, "workspace": "tenant-0001"}
    assert connector.sent == []  # the answer came back in the HTTP response
    due_now(reminder_bot.runtime.settings.database_url)  # the workshop's moment comes

    (message,) = connector.wait_for(1, timeout=20)
    assert message.conversation_id == CHANNEL_CONVERSATION
    assert message.path.startswith(f"/v3/conversations/{CHANNEL_CONVERSATION}/activities")
    card = the_card(message)
    assert card["body"][0]["text"] == "Reminder: Teams pilot workshop"
    assert "starts now" in card_text(card)
    assert set(submit_actions(card)) == {"Add to calendar"}

    dispatch_rounds(2.5)  # two more dispatch rounds: nothing is sent again
    assert len(connector.messages()) == 1
    (lead,) = [r for r in reminder_rows(reminder_bot) if r.kind == "lead"]
    assert (lead.platform, lead.status, lead.attempts) == ("teams", "sent", 1)
    assert lead.message_ref == "reply-1"  # the activity id the connector gave it


def test_a_workshop_created_in_a_personal_chat_is_reminded_there(reminder_bot, connector):
    say(
        reminder_bot,
        connector,
        'workshop add "Coaching call" in 1 hour remind 0m',
        conversation=PERSONAL_CONVERSATION,
    )
    due_now(reminder_bot.runtime.settings.database_url)
    (message,) = connector.wait_for(1, timeout=20)
    assert message.conversation_id == PERSONAL_CONVERSATION
    assert "Reminder: Coaching call" in card_text(the_card(message))


def test_move_and_cancel_are_announced_once_in_the_teams_conversation(reminder_bot, connector):
    say(reminder_bot, connector, 'workshop add "Skills workshop" in 3 days at 10:00 at Wilton')
    (event,) = events(reminder_bot)
    moved = say(reminder_bot, connector, f"workshop move {event.ref} in 4 days at 11:00")
    assert "moved to" in card_text(moved)
    (notice,) = connector.wait_for(1, timeout=20)
    assert notice.conversation_id == CHANNEL_CONVERSATION
    assert "Moved: Skills workshop" in card_text(the_card(notice))
    say(reminder_bot, connector, f"workshop cancel {event.ref}")
    _, cancelled = connector.wait_for(2, timeout=20)
    assert "Cancelled: Skills workshop" in card_text(the_card(cancelled))
    dispatch_rounds(2.5)
    assert len(connector.messages()) == 2


def test_a_process_with_teams_only_sends_teams_reminders(reminder_settings, connector):
    teams_only = replace(reminder_settings, slack_bot_token="", slack_signing_secret="")
    running = start_bot(teams_only)
    try:
        say(running, connector, 'workshop add "Teams only workshop" in 1 hour remind 0m')
        due_now(running.runtime.settings.database_url)
        (message,) = connector.wait_for(1, timeout=20)
        assert "Reminder: Teams only workshop" in card_text(the_card(message))
    finally:
        running.stop()


@pytest.fixture
def two_bots(reminder_settings):
    """Two web processes on one database, each with its dispatcher on a one-second timer."""
    bots = [start_bot(reminder_settings) for _ in range(2)]
    yield bots
    for bot in bots:
        bot.stop()


def test_two_racing_dispatchers_send_every_teams_reminder_once(two_bots, connector):
    connector.delay = 0.3  # a slow connector, so that both dispatchers find work
    threads = [f"19:thread{n}@thread.tacv2;messageid=17000000000{n:02d}" for n in range(6)]
    for number, thread in enumerate(threads):
        created = say(
            two_bots[number % 2],  # both processes take commands, too
            connector,
            f'workshop add "Workshop {number}" in 2 seconds remind 0m',
            conversation=thread,
        )
        assert f"New workshop: Workshop {number}" in card_text(created)

    def all_sent() -> bool:
        leads = [r for r in reminder_rows(two_bots[0]) if r.kind == "lead"]
        return len(leads) == len(threads) and all(r.status == "sent" for r in leads)

    wait_until(all_sent, timeout=60, what="every reminder to be sent")
    dispatch_rounds(2.5)  # more rounds in both processes: nothing is sent again
    per_conversation = Counter(m.conversation_id for m in connector.messages())
    assert per_conversation == Counter(threads)
    claimers = Counter(r.claimed_by for r in reminder_rows(two_bots[0]) if r.kind == "lead")
    assert len(claimers) == 2, claimers  # both processes really sent some
    for number, thread in enumerate(threads):
        (message,) = [m for m in connector.messages() if m.conversation_id == thread]
        assert f"Reminder: Workshop {number}" in card_text(the_card(message))


# Direct messages, failures, retries ------------------------------------------------------------


def test_deadline_direct_messages_reach_teams_members_in_their_personal_chats(
    reminder_bot, connector
):
    """Bea (Limburg) chats with the bot; Cem (NRW) only ever wrote in the channel, so he
    cannot be reached: his message fails and Ada, a coordinator, is told in her chat."""
    say(reminder_bot, connector, "chemclust help", conversation=PERSONAL_CONVERSATION)
    say(
        reminder_bot,
        connector,
        "chemclust join Limburg",
        user=BEA,
        name="Bea",
        conversation=BEA_CHAT,
    )
    say(reminder_bot, connector, "chemclust join NRW", user=CEM, name="Cem")
    say(
        reminder_bot,
        connector,
        'deadline add "Teams data 2012" in 1 hour for Limburg, NRW remind 0m',
    )
    due_now(reminder_bot.runtime.settings.database_url, kinds=("lead", "direct"))

    channel, direct, notice = connector.wait_for(3, timeout=30)
    assert channel.conversation_id == CHANNEL_CONVERSATION
    assert "Deadline: Teams data 2012" in card_text(the_card(channel))
    assert direct.conversation_id == BEA_CHAT
    direct_card = the_card(direct)
    assert "Limburg has not delivered yet" in card_text(direct_card)
    assert set(submit_actions(direct_card)) == {"Mark delivered", "Add to calendar"}
    assert notice.conversation_id == PERSONAL_CONVERSATION
    told = card_text(the_card(notice))
    assert "A reminder could not be delivered" in told
    assert f"teams direct message to {CEM}" in told
    assert "never chatted with the bot" in told
    assert "Teams is reachable" in told

    wait_until(
        lambda: {r.status for r in reminder_rows(reminder_bot)} >= {"failed"},
        what="the failure to be recorded",
    )
    directs = {r.target["user"]: r for r in reminder_rows(reminder_bot) if r.kind == "direct"}
    assert set(directs) == {BEA, CEM}
    assert (directs[BEA].platform, directs[BEA].status) == ("teams", "sent")
    assert directs[CEM].status == "failed"
    assert directs[CEM].attempts == 1  # no point in waiting: failed at once
    dispatch_rounds(2.5)
    assert len(connector.messages()) == 3

    # Bea presses "Mark delivered" in her chat: Limburg is recorded, as from Slack.
    delivered = say(
        reminder_bot,
        connector,
        None,
        user=BEA,
        name="Bea",
        conversation=BEA_CHAT,
        value=submit_actions(direct_card)["Mark delivered"],
    )
    assert "Limburg has delivered" in card_text(delivered)


def test_a_rate_limited_send_is_retried_and_delivered_once(reminder_bot, connector, monkeypatch):
    # No back-off of its own (5 s at first): the one second between the sends is Retry-After's.
    monkeypatch.setattr("commands.reminders.dispatch_record.BACKOFF_FIRST", timedelta(0))
    connector.fail(429, retry_after="1")
    say(reminder_bot, connector, 'workshop add "Busy workshop" in 1 hour remind 0m')
    due_now(reminder_bot.runtime.settings.database_url)
    (message,) = connector.wait_for(1, timeout=30)
    assert "Reminder: Busy workshop" in card_text(the_card(message))
    refused, accepted = connector.sent
    assert (refused.status, accepted.status) == (429, 200)
    assert accepted.received_at - refused.received_at >= 1.0  # Retry-After honoured
    wait_until(
        lambda: [r.status for r in reminder_rows(reminder_bot) if r.kind == "lead"] == ["sent"],
        what="the reminder to be recorded as sent",
    )
    (lead,) = [r for r in reminder_rows(reminder_bot) if r.kind == "lead"]
    assert lead.attempts == 2
    assert lead.last_error.startswith("Teams rate limit (429")


def test_a_bot_removed_from_the_team_fails_at_once_and_coordinators_are_told(
    reminder_bot, connector
):
    say(reminder_bot, connector, "chemclust help", conversation=PERSONAL_CONVERSATION)
    connector.fail(403, body={"error": {"code": "BotNotInConversationRoster", "message": "no"}})
    say(reminder_bot, connector, 'workshop add "Orphan workshop" in 1 hour remind 0m')
    due_now(reminder_bot.runtime.settings.database_url)

    (notice,) = connector.wait_for(1, timeout=30)
    assert notice.conversation_id == PERSONAL_CONVERSATION
    told = card_text(the_card(notice))
    assert "Orphan workshop" in told
    assert "BotNotInConversationRoster" in told
    (lead,) = [r for r in reminder_rows(reminder_bot) if r.kind == "lead"]
    assert (lead.status, lead.attempts) == ("failed", 1)
    assert "HTTP 403" in lead.last_error


# Buttons on a channel reminder ------------------------------------------------------------------


def test_reminder_buttons_work_when_pressed_in_teams(reminder_bot, connector):
    say(reminder_bot, connector, "chemclust join Limburg", user=BEA, name="Bea")
    say(
        reminder_bot,
        connector,
        'deadline add "Button data" in 1 hour for Limburg remind 0m',
    )
    due_now(reminder_bot.runtime.settings.database_url, kinds=("lead", "direct"))
    message = next(
        m for m in connector.wait_for(1, timeout=20) if m.conversation_id == CHANNEL_CONVERSATION
    )
    buttons = submit_actions(the_card(message))
    assert set(buttons) == {"Mark delivered", "Add to calendar"}

    delivered = say(
        reminder_bot, connector, None, user=BEA, name="Bea", value=buttons["Mark delivered"]
    )
    assert "Limburg has delivered" in card_text(delivered)
    again = say(
        reminder_bot, connector, None, user=BEA, name="Bea", value=buttons["Mark delivered"]
    )
    assert "already recorded" in card_text(again)

    calendar = card_text(
        say(reminder_bot, connector, None, user=BEA, name="Bea", value=buttons["Add to calendar"])
    )
    assert "Button data" in calendar
    assert f"{PUBLIC_URL}/calendar/" in calendar  # the feed to subscribe to
