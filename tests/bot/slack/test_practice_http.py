"""``/practice`` end to end: signed Slack requests to the real web process, Slack mocked."""

from __future__ import annotations

import re

from slack_sdk.models.views import View

from tests.bot.slack.test_http_endpoint import assert_valid_blocks, block_text
from tests.support.slack_requests import (
    answer_to_command,
    block_action,
    post_signed,
    slash_command,
    view_submission,
)

REGIONS = re.compile(
    r"\n(Saxony-Anhalt|North Rhine-Westphalia|Asturias|Masovia|Ústí|Cheshire West and Chester"
    r"|Novara|Limburg|Tees Valley|Schleswig-Holstein) · "
)


def test_practice_training_answers_with_ranked_practices_in_valid_block_kit(slack_bot, mock_slack):
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/practice", "training")
    assert payload["response_type"] == "in_channel"
    blocks = payload["blocks"]
    assert_valid_blocks(blocks)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Good practices: training", "emoji": True},
    }
    found = [b for b in blocks if b.get("accessory", {}).get("action_id") == "practice.details"]
    assert len(found) == 5
    for rank, block in enumerate(found, start=1):
        assert block["text"]["text"].startswith(f"*{rank}. ")
        assert REGIONS.search(block["text"]["text"]), block["text"]["text"]
    assert "*1. Apprentice training alliance" in found[0]["text"]["text"]
    assert "illustrative" in blocks[-1]["elements"][0]["text"]

    more = next(b for b in blocks if b["type"] == "actions")["elements"][0]
    assert more["text"]["text"] == "More results"
    post_signed(
        slack_bot.slack_url, block_action(more, response_url=mock_slack.webhook_url("more"))
    )
    page = mock_slack.wait_for("/webhook/more")[0].data
    assert page["response_type"] == "ephemeral"
    assert_valid_blocks(page["blocks"])
    assert "*6. " in block_text(page["blocks"])

    details = block_action(found[0]["accessory"], response_url=mock_slack.webhook_url("one"))
    post_signed(slack_bot.slack_url, details)
    record = mock_slack.wait_for("/webhook/one")[0].data
    assert_valid_blocks(record["blocks"])
    assert record["blocks"][0]["text"]["text"].startswith("Apprentice training alliance")
    assert "*Evidence of success*" in block_text(record["blocks"])


def test_practice_alone_lists_themes_with_counts_summing_to_the_library(slack_bot, mock_slack):
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/practice", "")
    assert_valid_blocks(payload["blocks"])
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    tables = [text for text in sections if text.startswith("```")]
    rows = tables[0].strip("`").splitlines()[1:]
    counts = {
        re.split(r"\s{2,}", row)[0]: int(re.split(r"\s{2,}", row)[1]) for row in rows if row.strip()
    }
    assert counts.pop("All practices") == sum(counts.values()) == 25
    assert len(counts) == 8


def test_practice_zzqx_gets_a_private_no_match_answer_with_suggestions(slack_bot, mock_slack):
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/practice", "zzqx")
    assert payload["response_type"] == "ephemeral"
    assert payload["text"] == "No practice matches “zzqx”."
    assert_valid_blocks(payload["blocks"])
    suggestions = [
        e["text"]["text"]
        for b in payload["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert "Skills and training" in suggestions


def test_ampersands_arrive_as_typed_although_slack_escapes_them(slack_bot):
    # Slack sends "R&D" in a slash command as "R&amp;D".
    body = slash_command("/practice", "theme:R&amp;D region:limburg")
    payload = post_signed(slack_bot.slack_url, body).json()
    assert payload["response_type"] == "in_channel"
    assert payload["text"] == "2 practices from Limburg on Shared R&amp;D facilities."


def test_hostile_search_text_is_echoed_escaped(slack_bot, mock_slack):
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/practice", "<!channel> zzqx")
    rendered = block_text(payload["blocks"]) + payload["text"]
    assert "&lt;!channel&gt;" in rendered
    assert "<!channel>" not in rendered


def test_practice_add_opens_a_modal_that_checks_each_field_then_saves(slack_bot, mock_slack):
    post_signed(slack_bot.slack_url, slash_command("/chemclust", "join Limburg"))
    answer = post_signed(slack_bot.slack_url, slash_command("/practice", "add"))
    assert answer.status == 200
    view = mock_slack.wait_for("views.open")[0].data["view"]
    assert view["callback_id"] == "form:practice.add"
    assert view["title"]["text"] == "New good practice"
    View(**view).to_dict()  # Slack's own model accepts the modal (lengths, counts)
    region = next(b for b in view["blocks"] if b["block_id"] == "region")["element"]
    assert [o["value"] for o in region["options"]] == ["limburg"]

    typed = {
        "title": "Shared analytics lab for SMEs",
        "region": "limburg",
        "theme": "Shared R&D facilities",
        "summary": "SMEs book time on mass spectrometers in a shared lab.",
        "link": "not a web address",
        "year": "1700",
    }
    refused = post_signed(slack_bot.slack_url, view_submission(view, typed))
    assert refused.status == 200
    assert refused.json()["response_action"] == "errors"
    assert set(refused.json()["errors"]) == {"link", "year"}
    assert mock_slack.of("chat.postMessage") == []

    fixed = typed | {"link": "https://example.org/lab", "year": "2011"}
    saved = post_signed(slack_bot.slack_url, view_submission(view, fixed))
    assert saved.status == 200
    assert saved.text == ""
    posted = mock_slack.wait_for("chat.postMessage")[0].data
    assert posted["channel"] == "CGENERAL"
    assert posted["text"] == "New good practice from Limburg: Shared analytics lab for SMEs"
    assert_valid_blocks(posted["blocks"])

    found = answer_to_command(slack_bot.slack_url, mock_slack, "/practice", "spectrometer")
    assert "Shared analytics lab for SMEs" in block_text(found["blocks"])


def test_practice_export_uploads_the_spreadsheets_privately(slack_bot, mock_slack):
    answer = answer_to_command(slack_bot.slack_url, mock_slack, "/practice", "export")
    assert answer["response_type"] == "ephemeral"
    uploads = mock_slack.wait_for("files.completeUploadExternal", count=2)
    assert {u.data["channel_id"] for u in uploads} == {"DUPARTNER"}
    names = [f["title"] for u in uploads for f in u.data["files"]]
    assert names == ["Good practices (Excel)", "Good practices (CSV)"]
    raw = [c.raw for c in mock_slack.of("/upload/")]
    assert raw[0][:2] == b"PK"  # a zip container: the workbook
    assert raw[1].decode("utf-8-sig").startswith("ID,Title,Region,Themes")
