"""Control characters sent through Slack reach the database cleaned, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Event, PilotUpdate
from tests.bot.slack.test_events_over_http import command, shown
from tests.commands.test_user_text import CLEAN, DIRTY
from tests.support import slack_events as events


def answer_to(bot, mock_slack, name: str, text: str, **extra) -> dict:
    """The command's answer, also when a slow machine sends it through response_url."""
    return command(bot, name, text, **extra)


def test_a_slash_command_with_a_nul_in_its_title_adds_the_event(slack_bot, mock_slack, sessions):
    answer = answer_to(slack_bot, mock_slack, "/workshop", f'add "{DIRTY}" 15 Dec 10:00')
    assert "error id" not in shown(answer)
    assert answer["text"].startswith("New workshop W")
    assert answer["text"].endswith(f": {CLEAN}.")
    with sessions() as session:
        title = session.scalars(select(Event.title).order_by(Event.id.desc())).first()
    assert title == CLEAN


def test_an_update_message_with_a_nul_is_logged_not_lost(slack_bot, mock_slack, sessions):
    command(slack_bot, "/chemclust", "join Masovia", user="UPARTNER")
    update = events.message(f"update skills: {DIRTY}")
    assert events.deliver(slack_bot.slack_url, update).status == 200
    reaction = mock_slack.wait_for("reactions.add")[0].data
    assert reaction["timestamp"] == update["event"]["ts"]
    with sessions() as session:
        [row] = session.scalars(select(PilotUpdate)).all()
    assert row.text == CLEAN
    assert mock_slack.of("chat.postEphemeral") == []
