"""Modal submissions through the real web process: inside Slack's window, and saved once.

The form is the real ``/pilot log`` form, so a submission writes a pilot update.
"""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select

from bot.slack import commands as slash_commands
from commands import build_registry
from commands.pilots.log import LOG_FORM
from storage.models import PilotUpdate
from tests.support.bot_server import start_bot
from tests.support.slack_requests import interaction, post_signed, slash_command


def view_submission(view: dict, values: dict[str, str], *, user_id: str = "UPARTNER") -> str:
    """The modal ``view`` submitted with ``values``, as Slack posts it."""
    state = {}
    for block in view["blocks"]:
        value = values.get(block["block_id"], "")
        if block["element"]["type"] == "static_select":
            element = {"type": "static_select", "selected_option": {"value": value}}
        else:
            element = {"type": "plain_text_input", "value": value}
        state[block["block_id"]] = {"value": element}
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": user_id, "username": "someone", "team_id": "T0001"},
            "api_app_id": "A0001",
            "trigger_id": "9.9.9",
            "view": {**view, "id": "V1", "state": {"values": state}},
        }
    )


def update_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(PilotUpdate))


def open_log_form(bot, mock_slack) -> dict:
    post_signed(bot.slack_url, slash_command("/pilot", "log"))
    return mock_slack.wait_for("views.open")[-1].data["view"]


VALUES = {"pilot": "skills", "status": "", "milestone": "", "text": "Teacher training held"}


def test_a_resubmitted_form_saves_once(slack_bot, mock_slack, sessions):
    view = open_log_form(slack_bot, mock_slack)
    first = post_signed(slack_bot.slack_url, view_submission(view, VALUES))
    assert (first.status, first.text) == (200, "")
    mock_slack.wait_for("chat.postEphemeral", 1)
    # Slack showed the person an error (a slow network, say) and they press Submit again.
    again = post_signed(slack_bot.slack_url, view_submission(view, VALUES))
    assert again.status == 200
    notes = mock_slack.wait_for("chat.postEphemeral", 2)
    assert "already submitted" in notes[1].data["text"]
    assert update_count(sessions) == 1


def test_a_form_submitted_by_someone_else_is_refused(slack_bot, mock_slack, sessions):
    view = open_log_form(slack_bot, mock_slack)
    post_signed(slack_bot.slack_url, view_submission(view, VALUES, user_id="USTRANGER"))
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert "opened by someone else" in note["text"]
    assert update_count(sessions) == 0


@pytest.fixture
def slow_bot(bot_settings):
    """The real bot whose pilot log form waits until the test lets it go on (a slow database)."""
    go_on = threading.Event()
    registry = build_registry()
    log_form = registry.forms[LOG_FORM]

    def slow_log_form(ctx, values, state):
        assert go_on.wait(10), "the test never let the form go on"
        return log_form(ctx, values, state)

    registry.forms[LOG_FORM] = slow_log_form
    running = start_bot(bot_settings, registry=registry)
    yield running, go_on
    go_on.set()
    running.stop()


def test_a_slow_form_closes_the_modal_in_time_and_its_result_follows(
    slow_bot, mock_slack, sessions, monkeypatch
):
    bot, go_on = slow_bot
    view = open_log_form(bot, mock_slack)
    monkeypatch.setattr(slash_commands, "ACK_BUDGET_SECONDS", 0.2)
    answer = post_signed(bot.slack_url, view_submission(view, VALUES))
    # Answered (the modal closes) while the form's work is still waiting: Slack shows no error.
    assert (answer.status, answer.text) == (200, "")
    assert not go_on.is_set()
    assert update_count(sessions) == 0
    go_on.set()
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert note["text"] == "Logged under Skills foresight."
    assert update_count(sessions) == 1


def test_a_slow_form_with_mistakes_says_so_in_a_message(
    slow_bot, mock_slack, sessions, monkeypatch
):
    bot, go_on = slow_bot
    view = open_log_form(bot, mock_slack)
    monkeypatch.setattr(slash_commands, "ACK_BUDGET_SECONDS", 0.2)
    answer = post_signed(bot.slack_url, view_submission(view, {**VALUES, "text": " "}))
    assert (answer.status, answer.text) == (200, "")
    go_on.set()
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert note["text"] == "Form not saved: Say what happened."
    assert update_count(sessions) == 0
    # The problems are told privately, to the person, in a direct message with the bot.
    assert note["user"] == "UPARTNER"


def test_the_modal_carries_only_a_token(slack_bot, mock_slack):
    view = open_log_form(slack_bot, mock_slack)
    assert set(json.loads(view["private_metadata"])) == {"state"}
