"""Slash commands through the real web process, signed as Slack signs them."""

from __future__ import annotations

import json
import time

import pytest
from slack_sdk.models.blocks import Block

from bot.slack import commands as slack_commands
from bot.slack.limits import problems
from storage.groups import default_group
from storage.members import get_member
from tests.conftest import COORDINATOR_ID
from tests.support.mock_slack import MockSlack
from tests.support.partners import PARTNER_REGIONS
from tests.support.slack_requests import (
    answer_to_command,
    followed,
    interaction,
    post,
    post_signed,
    slash_command,
)


def assert_valid_blocks(blocks: list[dict]) -> None:
    """Slack's own SDK models accept every block, and our limits hold."""
    for block in blocks:
        Block.parse(block).to_dict()  # validates lengths and counts, raises if Slack would reject
    assert problems(blocks) == []


def block_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_benchmark_limburg_answers_in_time_with_valid_block_kit(slack_bot, mock_slack):
    hook = mock_slack.webhook_url("limburg")
    body = slash_command("/benchmark", "Limburg", response_url=hook)
    answer = post_signed(slack_bot.slack_url, body)

    assert answer.status == 200
    assert answer.seconds < 3
    payload = followed(answer.json(), mock_slack, hook)
    assert payload["response_type"] == "in_channel"
    assert_valid_blocks(payload["blocks"])
    assert payload["blocks"][0]["type"] == "header"
    assert "Limburg" in payload["blocks"][0]["text"]["text"]
    rendered = block_text(payload["blocks"])
    assert "Composite index" in rendered
    assert "1 of 10* partner regions" in rendered
    assert payload["blocks"][-1]["type"] == "context"
    assert "Illustrative sample figures" in payload["blocks"][-1]["elements"][0]["text"]


def test_league_table_names_every_partner(slack_bot, mock_slack):
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/benchmark", "")
    assert_valid_blocks(payload["blocks"])
    rendered = block_text(payload["blocks"])
    for region in PARTNER_REGIONS:
        assert region in rendered


@pytest.mark.parametrize(
    "headers_for",
    [
        pytest.param(lambda body: {"secret": "not-the-secret"}, id="forged"),
        pytest.param(lambda body: {"timestamp": int(time.time()) - 301}, id="stale"),
    ],
)
def test_forged_or_stale_requests_are_refused_without_calling_slack(
    slack_bot, mock_slack, headers_for
):
    body = slash_command("/benchmark", "Limburg", response_url=mock_slack.webhook_url())
    answer = post_signed(slack_bot.slack_url, body, **headers_for(body))
    assert answer.status == 401
    time.sleep(0.2)  # anything the request would have triggered has had time to happen
    assert mock_slack.calls == []


def test_unsigned_request_is_refused(slack_bot, mock_slack):
    body = slash_command("/benchmark", "Limburg")
    answer = post(slack_bot.slack_url, body, {"content-type": "application/x-www-form-urlencoded"})
    assert answer.status == 401
    assert mock_slack.calls == []


def test_hostile_text_is_echoed_escaped(slack_bot, mock_slack):
    payload = answer_to_command(
        slack_bot.slack_url, mock_slack, "/benchmark", "<!channel> & <@U999>"
    )
    assert payload["response_type"] == "ephemeral"
    rendered = block_text(payload["blocks"]) + payload["text"]
    # The mention reaches the command as plain "@U999" (Slack gave no name); the special
    # mention is echoed escaped; neither pings anyone.
    assert "&lt;!channel&gt; &amp; @U999" in rendered
    assert "<!channel>" not in rendered
    assert "<@U999>" not in rendered


def test_unknown_region_is_answered_privately_with_buttons_that_work(slack_bot, mock_slack):
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/benchmark", "Atlantis")
    assert payload["response_type"] == "ephemeral"
    assert_valid_blocks(payload["blocks"])
    assert "Atlantis" in payload["text"]
    actions = next(b for b in payload["blocks"] if b["type"] == "actions")
    first = actions["elements"][0]

    click = {
        "type": "block_actions",
        "user": {"id": "UPARTNER", "username": "partner", "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "chemclust"},
        "channel": {"id": "CGENERAL", "name": "general"},
        "api_app_id": "A0001",
        "trigger_id": "1.2.3",
        "response_url": mock_slack.webhook_url("click"),
        "actions": [{**first, "block_id": "b1", "action_ts": "1700000000.1"}],
    }
    clicked = post_signed(slack_bot.slack_url, interaction(click))
    assert clicked.status == 200
    followed = mock_slack.wait_for("/webhook/click")[0].data
    assert followed["blocks"][0]["type"] == "header"
    assert first["text"]["text"] in followed["blocks"][0]["text"]["text"]
    assert_valid_blocks(followed["blocks"])


def test_slow_answer_is_acknowledged_then_sent_to_response_url(slack_bot, mock_slack, monkeypatch):
    monkeypatch.setattr(slack_commands, "ACK_BUDGET_SECONDS", 0.0)
    body = slash_command("/benchmark", "NRW", response_url=mock_slack.webhook_url("slow"))
    answer = post_signed(slack_bot.slack_url, body)
    assert answer.status == 200
    assert answer.json() == {"response_type": "ephemeral", "text": slack_commands.WORKING}
    followed = mock_slack.wait_for("/webhook/slow")[0].data
    assert followed["response_type"] == "in_channel"
    assert "North Rhine-Westphalia" in followed["blocks"][0]["text"]["text"]


def test_crash_in_a_command_gives_an_error_id_not_a_500(slack_bot, monkeypatch, caplog, mock_slack):
    def explode(ctx, **_):  # the command passes its session
        raise RuntimeError("database on fire")

    monkeypatch.setattr("commands.benchmark.command.load", explode)
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/benchmark", "Limburg")
    assert payload["response_type"] == "ephemeral"
    assert "error id" in payload["text"]
    error_id = payload["text"].rsplit("error id ", 1)[1].strip(").")
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None


def test_membership_join_and_who(slack_bot, mock_slack):
    joined = answer_to_command(slack_bot.slack_url, mock_slack, "/chemclust", "join Limburg")
    assert joined["response_type"] == "ephemeral"
    assert "Limburg" in joined["text"]
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/chemclust", "who")
    assert_valid_blocks(payload["blocks"])
    limburg = next(
        f["text"]
        for b in payload["blocks"]
        for f in b.get("fields", [])
        if "*Limburg*" in f["text"]
    )
    assert "<@UPARTNER>" in limburg


def test_partner_cannot_add_a_coordinator_but_a_coordinator_can(slack_bot, mock_slack):
    refused = answer_to_command(
        slack_bot.slack_url, mock_slack, "/chemclust", "coordinator add <@U777|someone>"
    )
    assert refused["response_type"] == "ephemeral"
    assert "Only a coordinator" in refused["text"]
    added = answer_to_command(
        slack_bot.slack_url,
        mock_slack,
        "/chemclust",
        "coordinator add <@U777|someone>",
        user_id=COORDINATOR_ID,
    )
    assert "is now a coordinator" in block_text(added["blocks"])
    who = answer_to_command(slack_bot.slack_url, mock_slack, "/chemclust", "who")
    coordinators = next(
        b["text"]["text"]
        for b in who["blocks"]
        if b.get("text", {}).get("text", "").startswith("*Coordinators:*")
    )
    assert "<@U777>" in coordinators


def test_a_coordinator_named_in_the_settings_cannot_be_removed_from_chat(
    slack_bot, mock_slack, sessions
):
    """CHEMCLUST_COORDINATORS is the operator's word: chat says so instead of pretending."""
    added = answer_to_command(
        slack_bot.slack_url,
        mock_slack,
        "/chemclust",
        "coordinator add <@U777|someone>",
        user_id=COORDINATOR_ID,
    )
    assert "is now a coordinator" in block_text(added["blocks"])
    refused = answer_to_command(
        slack_bot.slack_url,
        mock_slack,
        "/chemclust",
        f"coordinator remove <@{COORDINATOR_ID}|boss>",
        user_id="U777",
    )
    assert refused["response_type"] == "ephemeral"
    assert "CHEMCLUST_COORDINATORS" in refused["text"]
    assert "no longer a coordinator" not in refused["text"]
    with sessions() as session:
        boss = get_member(
            session=session,
            group_id=default_group(session=session).id,
            platform="slack",
            user_id=COORDINATOR_ID,
        )
    assert boss.role == "coordinator"
    # The one chat made a coordinator can be removed as before.
    removed = answer_to_command(
        slack_bot.slack_url,
        mock_slack,
        "/chemclust",
        "coordinator remove <@U777|someone>",
        user_id=COORDINATOR_ID,
    )
    assert "is no longer a coordinator" in block_text(removed["blocks"])


def test_health_check_reports_database_and_platforms(slack_bot):
    import urllib.request

    with urllib.request.urlopen(slack_bot.url + "/healthz", timeout=5) as answer:
        body = json.loads(answer.read())
    assert answer.status == 200
    assert body == {
        "status": "ok",
        "database": "ok",
        "platforms": {"slack": "http", "teams": "off"},
    }


def test_url_verification_challenge_is_answered(slack_bot):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    answer = post_signed(slack_bot.slack_url, body, content_type="application/json")
    assert answer.status == 200
    assert "c-123" in answer.text


def test_no_call_to_slack_escapes_the_mock(slack_bot, mock_slack: MockSlack):
    post_signed(slack_bot.slack_url, slash_command("/benchmark", "Limburg"))
    assert all(c.path.startswith(("/api/", "/webhook/")) for c in mock_slack.calls)


def test_crash_in_the_adapter_itself_is_answered_by_the_global_error_handler(
    slack_bot, monkeypatch, caplog, mock_slack
):
    def broken_renderer(reply):
        raise RuntimeError("renderer on fire")

    monkeypatch.setattr("bot.slack.render.command_response", broken_renderer)
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/benchmark", "Limburg")
    assert payload["response_type"] == "ephemeral"
    assert "error id" in payload["text"]
    assert any(r.exc_info and "renderer on fire" in str(r.exc_info[1]) for r in caplog.records)
