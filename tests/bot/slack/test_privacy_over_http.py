"""A person's data through signed Slack requests: the files they get, and being forgotten."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import func, select

from storage.models import AuditEntry, Member, PilotUpdate
from tests.bot.slack.test_events_over_http import shown
from tests.bot.slack.test_user_text_over_http import answer_to
from tests.support.scan import cells_naming
from tests.support.slack_requests import block_action, post_signed

ZOFIA = "UZOFIA42"
# As Slack sends a slash command's user_name, and as she signs in her updates' text.
ZOFIA_NAME = "zofia.przybylska"


def as_zofia(bot, mock_slack, name: str, text: str) -> dict:
    return answer_to(bot, mock_slack, name, text, user=ZOFIA, user_name=ZOFIA_NAME)


def zofia_with_an_update_and_a_practice(bot, mock_slack) -> None:
    as_zofia(bot, mock_slack, "/chemclust", "join Masovia")
    logged = as_zofia(bot, mock_slack, "/pilot", "log skills Warsaw teachers trained [on track]")
    assert "error id" not in shown(logged)
    added = as_zofia(
        bot,
        mock_slack,
        "/practice",
        f"add Vistula pilot plant | Masovia | training | Run by {ZOFIA_NAME} for SMEs",
    )
    assert "error id" not in shown(added)


def test_my_data_sends_json_and_csv_holding_her_updates_and_practice(slack_bot, mock_slack):
    zofia_with_an_update_and_a_practice(slack_bot, mock_slack)
    answer = as_zofia(slack_bot, mock_slack, "/chemclust", "my data")
    assert answer["response_type"] == "ephemeral"
    uploads = mock_slack.wait_for("files.completeUploadExternal", count=2)
    assert {u.data["channel_id"] for u in uploads} == {f"D{ZOFIA}"}
    raw_json, raw_csv = (c.raw for c in mock_slack.of("/upload/"))

    document = json.loads(raw_json)
    assert document["you"]["user_id"] == ZOFIA
    [update] = document["tables"]["pilot_update"]
    assert update["text"] == "Warsaw teachers trained"
    [practice] = document["tables"]["practice"]
    assert practice["title"] == "Vistula pilot plant"
    assert document["tables"]["member"][0]["platform_user_id"] == ZOFIA
    assert "token" not in json.dumps(document["tables"].get("form_session", []))

    cells = list(csv.reader(io.StringIO(raw_csv.decode("utf-8-sig"))))
    assert cells[0] == ["table", "row", "column", "value"]
    assert ["practice", str(practice["id"]), "title", "Vistula pilot plant"] in cells
    assert ["pilot_update", str(update["id"]), "text", "Warsaw teachers trained"] in cells


def test_forget_me_with_the_button_leaves_her_nowhere_and_her_update_with_masovia(
    slack_bot, mock_slack, sessions
):
    zofia_with_an_update_and_a_practice(slack_bot, mock_slack)
    assert cells_naming(slack_bot.runtime.engine, (ZOFIA, ZOFIA_NAME))

    asked = as_zofia(slack_bot, mock_slack, "/chemclust", "forget me")
    assert asked["response_type"] == "ephemeral"
    with sessions() as session:
        assert (
            session.scalar(select(Member.forgotten_at).where(Member.platform_user_id == ZOFIA))
            is None
        )
    button = next(
        element
        for block in asked["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    )
    assert button["text"]["text"] == "Forget me"
    click = block_action(button, response_url=mock_slack.webhook_url("forgotten"), user_id=ZOFIA)
    assert post_signed(slack_bot.slack_url, click).status == 200
    said = mock_slack.wait_for("/webhook/forgotten", timeout=20)[0].data
    assert "You are forgotten" in said["text"]

    assert cells_naming(slack_bot.runtime.engine, (ZOFIA, ZOFIA_NAME)) == []
    with sessions() as session:
        member = session.scalars(select(Member).where(Member.forgotten_at.is_not(None))).one()
        update = session.scalars(select(PilotUpdate)).one()
        acted = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor_user_id == f"former-member-{member.id}")
        )
    assert member.display_name == f"former member {member.id}"
    assert update.author_id == f"former-member-{member.id}"
    assert update.region_id is not None
    assert acted >= 3  # her join, update and practice, and her erasure, under the pseudonym

    status = shown(answer_to(slack_bot, mock_slack, "/pilot", "status skills"))
    assert "Masovia" in status
    assert "Warsaw teachers trained" in status


def test_a_coordinator_forgets_a_person_and_a_partner_may_not(slack_bot, mock_slack, sessions):
    zofia_with_an_update_and_a_practice(slack_bot, mock_slack)
    refused = answer_to(
        slack_bot, mock_slack, "/chemclust", f"forget <@{ZOFIA}|zofia>", user="UPARTNER"
    )
    assert refused["response_type"] == "ephemeral"
    assert "Only a coordinator" in refused["text"]
    wrong = answer_to(slack_bot, mock_slack, "/chemclust", "forget someone")
    assert wrong["response_type"] == "ephemeral"
    assert "/chemclust forget @person" in shown(wrong)
    assert cells_naming(slack_bot.runtime.engine, (ZOFIA,))

    done = answer_to(slack_bot, mock_slack, "/chemclust", f"forget <@{ZOFIA}|zofia>")
    assert done["text"].startswith("Forgotten: now former member ")
    assert cells_naming(slack_bot.runtime.engine, (ZOFIA, ZOFIA_NAME)) == []
    who = shown(answer_to(slack_bot, mock_slack, "/chemclust", "who"))
    assert "former member" not in who
