"""``/recommendation`` end to end: signed Slack requests to the real web process, its
dispatcher sending the consultation's reminders and close to the mock Web API."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from docx import Document

from tests.bot.slack.test_events_over_http import (
    posts_about,
    shown,
    wait_for_post,
)
from tests.bot.slack.test_user_text_over_http import answer_to
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import DISPATCH_SECONDS, dispatch_rounds, start_bot
from tests.support.slack_requests import post_signed, slash_command, view_submission


@pytest.fixture
def reminder_bot(bot_settings):
    """The web process with a dispatcher every second."""
    running = start_bot(replace(bot_settings, dispatch_seconds=DISPATCH_SECONDS))
    yield running
    running.stop()


TEXT = "Regions should co-fund pilot plants that SMEs can rent by the week."


def say(bot, mock_slack, text: str, user: str = COORDINATOR_ID) -> dict:
    return answer_to(bot, mock_slack, "/recommendation", text, user=user)


def test_add_by_form_endorse_consult_close_adopt_export(reminder_bot, mock_slack):
    bot = reminder_bot
    answer_to(bot, mock_slack, "/chemclust", "join Masovia", user="UPARTNER")
    answer_to(bot, mock_slack, "/chemclust", "join Limburg", user="ULIMBURG")

    post_signed(bot.slack_url, slash_command("/recommendation", "add", user_id=COORDINATOR_ID))
    view = mock_slack.wait_for("views.open")[0].data["view"]
    assert view["callback_id"] == "form:recommendation.add"
    assert [b["block_id"] for b in view["blocks"]] == ["title", "level", "pilot", "theme", "text"]
    typed = {"title": "Shared pilot plants", "level": "european", "pilot": "robotics", "text": TEXT}
    refused = post_signed(bot.slack_url, view_submission(view, typed, user_id=COORDINATOR_ID))
    assert refused.json()["response_action"] == "errors"
    assert set(refused.json()["errors"]) == {"pilot"}
    saved = post_signed(
        bot.slack_url, view_submission(view, typed | {"pilot": "parks"}, user_id=COORDINATOR_ID)
    )
    assert saved.text == ""
    posted = wait_for_post(mock_slack, "New recommendation R1: Shared pilot plants")
    assert posted["channel"] == "CGENERAL"

    endorsed = say(bot, mock_slack, "endorse R1", user="UPARTNER")
    assert endorsed["response_type"] == "in_channel"
    assert "Masovia" in shown(endorsed)
    for line, refusal in (
        ('add "Mine" level regional | text', "Only a coordinator can add a recommendation."),
        ("endorse R1 for Limburg", "partners endorse for their own region only"),
        ("adopt R1", "Only a coordinator can adopt a recommendation."),
    ):
        answer = say(bot, mock_slack, line, user="UPARTNER")
        assert answer["response_type"] == "ephemeral"
        assert refusal in shown(answer)

    opened = say(bot, mock_slack, "consult R1 until in 2 seconds")
    assert opened["response_type"] == "in_channel"
    closed = wait_for_post(mock_slack, "Consultation closed: R1")
    assert closed["channel"] == "CGENERAL"
    assert "Endorsed by: *Masovia" in shown(closed) or "Endorsed by:* Masovia" in shown(closed)
    reminders = posts_about(mock_slack, "has not endorsed R1 yet")
    assert [r["channel"] for r in reminders] == ["DULIMBURG"]  # Masovia had endorsed
    dispatch_rounds(2.5)  # more dispatch rounds: nothing is sent twice
    assert len(posts_about(mock_slack, "has not endorsed R1 yet")) == 1
    assert len(posts_about(mock_slack, "Consultation closed: R1")) == 1

    adopted = say(bot, mock_slack, "adopt R1")
    assert adopted["response_type"] == "in_channel"
    assert "Adopted: R1 Shared pilot plants" in shown(adopted)

    exported = say(bot, mock_slack, "export", user="ULIMBURG")
    assert exported["response_type"] == "ephemeral"
    uploads = mock_slack.wait_for("files.completeUploadExternal", count=2)
    assert {u.data["channel_id"] for u in uploads} == {"DULIMBURG"}
    word, table = [c.raw for c in mock_slack.of("/upload/")]
    document = Document(io.BytesIO(word))
    assert "R1 Shared pilot plants" in [p.text for p in document.paragraphs]
    (row,) = csv.DictReader(io.StringIO(table.decode("utf-8")))
    assert (row["Title"], row["Endorsed by"]) == ("Shared pilot plants", "Masovia")


def test_hostile_text_is_echoed_escaped_and_nothing_is_written(reminder_bot, mock_slack):
    answer = say(reminder_bot, mock_slack, "show <!channel>", user="UPARTNER")
    assert answer["response_type"] == "ephemeral"
    assert "&lt;!channel&gt;" in shown(answer)
    assert "<!channel>" not in shown(answer)
    listed = say(reminder_bot, mock_slack, "list", user="UPARTNER")
    assert "No recommendations yet" in shown(listed)
