"""``/pilot report`` over signed Slack requests: the Word file goes to the person privately."""

from __future__ import annotations

import io

from docx import Document

from tests.bot.slack.test_user_text_over_http import answer_to
from tests.commands.pilots.test_report import HEADINGS, headings, table_texts
from tests.conftest import COORDINATOR_ID


def command(bot, mock_slack, name: str, text: str, user: str = "UPARTNER") -> dict:
    return answer_to(bot, mock_slack, name, text, user=user)


def test_report_after_updates_a_milestone_and_a_workshop_is_sent_privately(slack_bot, mock_slack):
    command(slack_bot, mock_slack, "/chemclust", "join Masovia")
    command(
        slack_bot, mock_slack, "/pilot", "log skills Teacher training held in Warsaw [on track]"
    )
    command(slack_bot, mock_slack, "/pilot", "log skills Employers surveyed in Płock")
    command(
        slack_bot,
        mock_slack,
        "/pilot",
        'milestone add skills "Curriculum draft" due 2040-03-15',
        COORDINATOR_ID,
    )
    added = command(
        slack_bot,
        mock_slack,
        "/workshop",
        'add "Skills workshop" in 3 weeks at 10:00 at Wilton pilot skills',
        COORDINATOR_ID,
    )

    assert added["text"].startswith("New workshop")
    answer = command(slack_bot, mock_slack, "/pilot", "report skills")
    assert answer["response_type"] == "ephemeral"
    assert "Implementation report of" in answer["text"]
    (upload,) = mock_slack.wait_for("files.completeUploadExternal")
    assert upload.data["channel_id"] == "DUPARTNER"  # a direct message: private
    assert upload.data["files"][0]["title"] == "Implementation report: Skills foresight"
    (content,) = [c.raw for c in mock_slack.of("/upload/")]
    document = Document(io.BytesIO(content))
    assert set(headings(document, 1)) >= HEADINGS
    cells = [cell for table in table_texts(document) for row in table for cell in row]
    assert {"Teacher training held in Warsaw", "Employers surveyed in Płock"} <= set(cells)
    assert {"Curriculum draft", "Skills workshop", "Wilton"} <= set(cells)


def test_a_wrong_report_request_is_answered_privately_and_sends_nothing(slack_bot, mock_slack):
    answer = command(slack_bot, mock_slack, "/pilot", "report skills from <!channel>")
    assert answer["response_type"] == "ephemeral"
    assert "I cannot read “&lt;!channel&gt;” as a day." in answer["text"]
    assert mock_slack.of("files.completeUploadExternal") == []
