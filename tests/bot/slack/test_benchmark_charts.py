"""Charts and workbooks reach Slack as files, uploaded with files_upload_v2."""

from __future__ import annotations

from tests.support.slack_requests import post_signed, slash_command

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
