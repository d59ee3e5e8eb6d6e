"""Charts and workbooks reach Slack as files, uploaded with files_upload_v2."""

from __future__ import annotations

from tests.bot.slack.test_http_endpoint import assert_valid_blocks, block_text
from tests.commands.benchmark.method import figures_2014, import_real
from tests.support.partners import PARTNER_REGIONS
from tests.support.slack_requests import followed, post_signed, slash_command

PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def test_benchmark_limburg_chart_uploads_a_png_to_the_channel(slack_bot, mock_slack):
    body = slash_command("/benchmark", "Limburg chart", response_url=mock_slack.webhook_url())
    answer = post_signed(slack_bot.slack_url, body)
    assert answer.status == 200

    requested = mock_slack.wait_for("files.getUploadURLExternal", timeout=20)[0].data
    assert requested["filename"] == "limburg-benchmark-2012-update.png"
    [upload] = mock_slack.wait_for("/upload/", timeout=20)
    assert upload.raw.startswith(PNG_HEADER)
    assert int(requested["length"]) == len(upload.raw) > 10_000
    completed = mock_slack.wait_for("files.completeUploadExternal", timeout=20)[0].data
    assert completed["channel_id"] == "CGENERAL"
    assert completed["files"][0]["title"] == "Limburg: benchmark 2012 update"


def test_export_sends_the_workbook_privately(slack_bot, mock_slack):
    body = slash_command("/benchmark", "export 2012", response_url=mock_slack.webhook_url())
    assert post_signed(slack_bot.slack_url, body).status == 200
    requested = mock_slack.wait_for("files.getUploadURLExternal", timeout=20)[0].data
    assert requested["filename"] == "chemclust-benchmark-2012-update.xlsx"
    [upload] = mock_slack.wait_for("/upload/", timeout=20)
    assert upload.raw.startswith(b"PK")  # a zip container: the .xlsx workbook
    completed = mock_slack.wait_for("files.completeUploadExternal", timeout=20)[0].data
    assert completed["channel_id"] == "DUPARTNER"


def _answer(slack_bot, mock_slack, text: str, hook: str) -> dict:
    """The message Slack shows: the HTTP answer, or the follow-up when the bot acked first."""
    response_url = mock_slack.webhook_url(hook)
    body = slash_command("/benchmark", text, response_url=response_url)
    answer = post_signed(slack_bot.slack_url, body)
    assert answer.status == 200
    return followed(answer.json(), mock_slack, response_url)


def test_changes_and_movers_after_a_real_2014_import_are_valid_block_kit(
    slack_bot, mock_slack, sessions
):
    import_real(sessions, figures_2014())

    changes = _answer(slack_bot, mock_slack, "Limburg changes", "changes")
    assert changes["response_type"] == "in_channel"
    assert_valid_blocks(changes["blocks"])
    assert changes["blocks"][0]["text"]["text"] == (
        "Limburg: what moved from the 2012 update to the 2014"
    )
    rendered = block_text(changes["blocks"])
    assert "28.4 → 32 % of population 25-64" in rendered
    assert "Moved the index most" in rendered
    assert "The 2012 update holds illustrative sample figures" in rendered

    movers = _answer(slack_bot, mock_slack, "movers", "movers")
    assert_valid_blocks(movers["blocks"])
    rendered = block_text(movers["blocks"])
    assert "Benchmark 2014: what moved since the 2012 update" in rendered
    for region in PARTNER_REGIONS:
        assert region in rendered
    buttons = [e for b in movers["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) >= 2
    assert all(e["action_id"].startswith("benchmark.changes") for e in buttons)


def test_wrong_changes_request_is_answered_privately(slack_bot, mock_slack):
    answer = _answer(slack_bot, mock_slack, "Atlantis changes", "wrong")
    assert answer["response_type"] == "ephemeral"
    rendered = block_text(answer["blocks"])
    assert "I don't know a partner region called “Atlantis”." in rendered
    assert "changes" in rendered  # the usage line
