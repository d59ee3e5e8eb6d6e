"""The Slack adapter's paths for modals and files, driven by a command registered for the test."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.slack import commands as slack_commands
from commands import build_registry
from commands.reply import (
    Attachment,
    Form,
    FormErrors,
    FormField,
    Paragraph,
    Reply,
    text,
)
from storage.db import make_engine, make_session_factory
from storage.models import FormSession
from tests.support.bot_server import start_bot
from tests.support.slack_requests import (
    answer_to_command,
    block_action,
    interaction,
    post_signed,
    slash_command,
)

NOTE_FORM = "test.note"


def note_command(ctx, arguments):
    if not arguments and ctx.can_open_forms:
        return Reply(
            form=Form(
                form_id=NOTE_FORM,
                title="New note",
                fields=(
                    FormField("title", "Title", max_length=80),
                    FormField(
                        "kind", "Kind", kind="select", options=(("a", "Alpha"), ("b", "Beta"))
                    ),
                    FormField("body", "Body", kind="multiline", required=False),
                ),
                state="note-state",
            )
        )
    return Reply(
        parts=(Paragraph(text(f"Here is {arguments}")),),
        files=(Attachment("note.csv", b"a,b\n1,2\n", "text/csv", "Note"),),
        private=arguments == "private",
    )


def submit_note(ctx, values, state):
    if not values.get("title", "").strip():
        raise FormErrors({"title": "Give the note a title."})
    return Reply(parts=(Paragraph(text(f"Saved {values['title']} ({values['kind']}, {state})")),))


@pytest.fixture
def bot_with_notes(bot_settings):
    registry = build_registry()
    registry.add_command("note", note_command, summary="test", usage=("/note",))
    registry.add_form(NOTE_FORM, submit_note)
    registry.add_action("note.open", lambda ctx, value: note_command(ctx, ""))
    running = start_bot(bot_settings, registry=registry)
    yield running
    running.stop()


def submission(view: dict, values: dict) -> str:
    state = {
        "values": {
            "title": {"value": {"type": "plain_text_input", "value": values.get("title", "")}},
            "kind": {
                "value": {
                    "type": "static_select",
                    "selected_option": {"value": values.get("kind", "a")},
                }
            },
            "body": {"value": {"type": "plain_text_input", "value": None}},
        }
    }
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": "UPARTNER", "username": "partner", "team_id": "T0001"},
            "api_app_id": "A0001",
            "trigger_id": "9.9.9",
            "view": {**view, "id": "V1", "state": state},
        }
    )


def test_command_without_arguments_opens_a_modal(bot_with_notes, mock_slack):
    answer = post_signed(bot_with_notes.slack_url, slash_command("/note", ""))
    assert answer.status == 200
    opened = mock_slack.wait_for("views.open")[0].data
    assert opened["trigger_id"] == "1234.5678.trigger"
    view = opened["view"]
    assert view["callback_id"] == "form:" + NOTE_FORM
    assert [b["block_id"] for b in view["blocks"]] == ["title", "kind", "body"]
    assert view["blocks"][2]["optional"] is True
    # Only a token travels with the modal; the form's state and channel stay in the database.
    [token] = json.loads(view["private_metadata"]).values()
    assert "note-state" not in view["private_metadata"]
    engine = make_engine(bot_with_notes.runtime.settings.database_url)
    with make_session_factory(engine)() as session:
        stored = session.scalars(select(FormSession)).one()
    engine.dispose()
    assert (stored.token, stored.state, stored.channel_id) == (token, "note-state", "CGENERAL")


def test_invalid_submission_keeps_the_modal_open_with_field_errors(bot_with_notes, mock_slack):
    post_signed(bot_with_notes.slack_url, slash_command("/note", ""))
    view = mock_slack.wait_for("views.open")[0].data["view"]
    answer = post_signed(bot_with_notes.slack_url, submission(view, {"title": "  "}))
    assert answer.status == 200
    assert answer.json() == {
        "response_action": "errors",
        "errors": {"title": "Give the note a title."},
    }
    assert mock_slack.of("chat.postMessage") == []


def test_valid_submission_closes_the_modal_and_posts_the_result(bot_with_notes, mock_slack):
    post_signed(bot_with_notes.slack_url, slash_command("/note", ""))
    view = mock_slack.wait_for("views.open")[0].data["view"]
    answer = post_signed(
        bot_with_notes.slack_url, submission(view, {"title": "Pilot plan", "kind": "b"})
    )
    assert answer.status == 200
    assert answer.text == ""
    posted = mock_slack.wait_for("chat.postMessage")[0].data
    assert posted["channel"] == "CGENERAL"
    assert "Saved Pilot plan (b, note-state)" in posted["text"] + json.dumps(posted["blocks"])


def test_public_reply_files_are_uploaded_to_the_channel(bot_with_notes, mock_slack):
    answer = answer_to_command(bot_with_notes.slack_url, mock_slack, "/note", "minutes")
    assert answer["response_type"] == "in_channel"
    completed = mock_slack.wait_for("files.completeUploadExternal")[0].data
    assert completed["channel_id"] == "CGENERAL"
    uploads = mock_slack.of("/upload/")
    assert uploads[0].raw == b"a,b\n1,2\n"


def test_private_reply_files_go_to_a_direct_message(bot_with_notes, mock_slack):
    answer = answer_to_command(bot_with_notes.slack_url, mock_slack, "/note", "private")
    assert answer["response_type"] == "ephemeral"
    completed = mock_slack.wait_for("files.completeUploadExternal")[0].data
    assert completed["channel_id"] == "DUPARTNER"


def test_a_form_prepared_after_the_acknowledgement_still_opens(
    bot_with_notes, mock_slack, monkeypatch
):
    # A busy machine: the answer misses the acknowledgement, the trigger id is still valid.
    monkeypatch.setattr(slack_commands, "ACK_BUDGET_SECONDS", 0.0)
    hook = mock_slack.webhook_url("late-form")
    answer = post_signed(bot_with_notes.slack_url, slash_command("/note", "", response_url=hook))
    assert answer.json()["text"] == slack_commands.WORKING
    opened = mock_slack.wait_for("views.open")[0].data
    assert opened["view"]["callback_id"] == "form:" + NOTE_FORM
    assert mock_slack.of(hook.removeprefix(mock_slack.root)) == []


def test_a_form_whose_trigger_expired_says_to_type_the_command_again(
    bot_with_notes, mock_slack, monkeypatch
):
    monkeypatch.setattr(slack_commands, "ACK_BUDGET_SECONDS", 0.0)
    mock_slack.fail("views.open", 200, error="expired_trigger_id")
    hook = mock_slack.webhook_url("expired-form")
    post_signed(bot_with_notes.slack_url, slash_command("/note", "", response_url=hook))
    said = mock_slack.wait_for(hook.removeprefix(mock_slack.root))[0].data
    assert said["response_type"] == "ephemeral"
    assert said["text"] == (
        "The form took too long to prepare and Slack no longer lets it open. "
        "Type /note again to open it."
    )


def test_a_button_whose_form_cannot_open_any_more_says_to_press_it_again(
    bot_with_notes, mock_slack
):
    mock_slack.fail("views.open", 200, error="expired_trigger_id")
    hook = mock_slack.webhook_url("pressed")
    button = {"type": "button", "action_id": "note.open", "value": ""}
    answer = post_signed(bot_with_notes.slack_url, block_action(button, response_url=hook))
    assert answer.status == 200
    said = mock_slack.wait_for(hook.removeprefix(mock_slack.root))[0].data
    assert said["response_type"] == "ephemeral"
    assert said["text"] == (
        "The form took too long to prepare and Slack no longer lets it open. "
        "Press the button again to open it."
    )
