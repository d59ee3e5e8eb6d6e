"""Benchmark files sent to the bot in a direct message: checked, then imported on a click."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from bot.slack.files import is_direct_file_share
from commands.benchmark.imports import IncomingFile, receive_file
from commands.context import Identity
from commands.reply import plain
from storage.models import BenchmarkUpload
from tests.bot.cli.test_import_benchmark import snapshot
from tests.conftest import COORDINATOR_ID, PARTNER_ID
from tests.support.benchmark_files import import_2014, to_csv, wide_csv, wide_rows
from tests.support.slack_events import share_in_dm as share
from tests.support.slack_requests import interaction, post_signed


def answer_in_dm(mock_slack, user: str, count: int = 1) -> dict:
    posted = mock_slack.wait_for("chat.postMessage", count=count, timeout=20)[count - 1].data
    assert posted["channel"] == f"D{user}"
    return posted


def buttons(message: dict) -> dict[str, dict]:
    found = {}
    for block in message["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            found[element["text"]["text"]] = element
    return found


def click(slack_bot, mock_slack, user: str, button: dict) -> str:
    hook = f"click-{user}-{len(mock_slack.calls)}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "chemclust"},
        "channel": {"id": f"D{user}", "name": "directmessage"},
        "api_app_id": "A0001",
        "response_url": mock_slack.webhook_url(hook),
        "trigger_id": "1.2.3",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b1",
                "value": button["value"],
                "action_ts": "1700000001.0001",
            }
        ],
    }
    assert post_signed(slack_bot.slack_url, interaction(payload)).status == 200
    [answer] = mock_slack.wait_for(f"/webhook/{hook}", timeout=20)
    return answer.raw.decode()


def test_a_coordinators_file_is_checked_and_imported_on_the_button(
    slack_bot, mock_slack, core, partner
):
    share(slack_bot, mock_slack, user=COORDINATOR_ID, name="benchmark-2014.csv",
          content=wide_csv(), text="2014")  # fmt: skip
    message = answer_in_dm(mock_slack, COORDINATOR_ID)
    downloads = mock_slack.of("/files/")
    assert downloads[0].headers["authorization"].startswith("Bearer xoxb-")
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert "110 for 10 regions × 11 indicators" in shown
    assert "Nothing is written until you click the button" in shown
    assert core.run_line(partner, "/benchmark Limburg").heading == "Limburg: benchmark 2012 update"

    result = click(slack_bot, mock_slack, COORDINATOR_ID, buttons(message)["Import"])
    assert "Imported 110 figures into 2014" in result
    assert core.run_line(partner, "/benchmark Limburg").heading == "Limburg: benchmark 2014"

    again = click(slack_bot, mock_slack, COORDINATOR_ID, buttons(message)["Import"])
    assert "already been imported" in again


def test_a_file_with_errors_is_refused_with_rows_and_no_button(slack_bot, mock_slack, sessions):
    rows = wide_rows()
    rows[3][0] = "Atlantis"
    rows[6][5] = "n.k."
    before = snapshot(sessions)
    share(slack_bot, mock_slack, user=COORDINATOR_ID, name="broken.csv", content=to_csv(rows),
          text="2014")  # fmt: skip
    message = answer_in_dm(mock_slack, COORDINATOR_ID)
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert "2 problems; nothing was imported." in shown
    assert "Row 4, column 1 (A)" in shown
    assert "Row 7, column 6 (F)" in shown
    assert buttons(message) == {}
    assert snapshot(sessions) == before
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(BenchmarkUpload)) == 0


def test_a_partner_delivers_only_their_own_regions_figures(slack_bot, mock_slack, core, sessions):
    import_2014(sessions)
    limburg = Identity(platform="slack", user_id=PARTNER_ID, workspace_id="T0001")
    core.run_line(limburg, "/chemclust join Limburg")
    rows = wide_rows()
    rows[8][5] = 7.5  # Limburg's PCT, corrected
    rows[2][5] = 99  # NRW's PCT: not Limburg's to change
    before = core.run_line(limburg, "/benchmark indicator PCT")

    share(slack_bot, mock_slack, user=PARTNER_ID, name="limburg-2014.csv",
          content=to_csv(rows))  # fmt: skip
    message = answer_in_dm(mock_slack, PARTNER_ID)
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert "11 for Limburg" in shown
    assert "Rows of other regions were left out" in shown
    assert "Replace 2014" in buttons(message)

    result = click(slack_bot, mock_slack, PARTNER_ID, buttons(message)["Replace 2014"])
    assert "Imported 11 figures into 2014" in result
    after = core.run_line(limburg, "/benchmark indicator PCT")
    table = {row[1]: row[2] for row in after.parts[1].rows}
    earlier = {row[1]: row[2] for row in before.parts[1].rows}
    assert table["Limburg"] == "7.5"
    assert table["North Rhine-Westphalia"] == earlier["North Rhine-Westphalia"] == "4.4"


def test_a_partner_without_a_region_is_told_to_join_first(slack_bot, mock_slack):
    share(slack_bot, mock_slack, user=PARTNER_ID, name="figures.csv", content=wide_csv())
    message = answer_in_dm(mock_slack, PARTNER_ID)
    assert "Say which region you represent first" in message["text"] + json.dumps(message["blocks"])


def test_only_the_sender_can_click_import(slack_bot, mock_slack):
    share(slack_bot, mock_slack, user=COORDINATOR_ID, name="benchmark-2014.csv",
          content=wide_csv(), text="2014")  # fmt: skip
    button = buttons(answer_in_dm(mock_slack, COORDINATOR_ID))["Import"]
    result = click(slack_bot, mock_slack, PARTNER_ID, button)
    assert "Only the person who sent the file can import it." in result


def test_discard_keeps_the_data_as_it_was(slack_bot, mock_slack, sessions):
    before = snapshot(sessions)
    share(slack_bot, mock_slack, user=COORDINATOR_ID, name="benchmark-2014.csv",
          content=wide_csv(), text="2014")  # fmt: skip
    message = answer_in_dm(mock_slack, COORDINATOR_ID)
    assert "Discarded benchmark-2014.csv" in click(
        slack_bot, mock_slack, COORDINATOR_ID, buttons(message)["Discard"]
    )
    assert "already been discarded" in click(
        slack_bot, mock_slack, COORDINATOR_ID, buttons(message)["Import"]
    )
    assert snapshot(sessions) == before
    with sessions() as session:
        upload = session.scalar(select(BenchmarkUpload))
    assert (upload.status, upload.content) == ("discarded", b"")


def test_partners_cannot_deliver_into_a_sample_edition(core):
    limburg = Identity(platform="slack", user_id=PARTNER_ID, workspace_id="T0001")
    core.run_line(limburg, "/chemclust join Limburg")
    incoming = IncomingFile("limburg.csv", wide_csv(), "DUPARTNER:1.4:F3")
    reply = core.run_handler(limburg, lambda ctx: receive_file(ctx, incoming), what="test")
    assert reply.private
    assert "There is no open edition to deliver figures for (2012 update holds sample" in plain(
        reply.parts[0].text
    )


def test_a_redelivered_file_is_answered_once(core, coordinator):
    incoming = IncomingFile("benchmark-2014.csv", wide_csv(), "DUCOORD:1.2:F1", "2014")
    first = core.run_handler(coordinator, lambda ctx: receive_file(ctx, incoming), what="test")
    second = core.run_handler(coordinator, lambda ctx: receive_file(ctx, incoming), what="test")
    assert "110 for 10 regions" in plain(first.parts[0].items[1].value)
    assert second is None


def test_a_coordinator_file_without_an_edition_asks_for_one(core, coordinator):
    incoming = IncomingFile("benchmark.csv", wide_csv(), "DUCOORD:1.3:F2", "")
    reply = core.run_handler(coordinator, lambda ctx: receive_file(ctx, incoming), what="test")
    shown = "\n".join(plain(p.text) for p in reply.parts)
    assert "Say which edition the figures belong to, e.g. 2014." in shown
    assert "Send the file again with the edition in the message" in shown


@pytest.mark.parametrize(
    ("event", "handled"),
    [
        ({"channel_type": "im", "subtype": "file_share", "files": [{"id": "F1"}]}, True),
        ({"channel_type": "channel", "subtype": "file_share", "files": [{"id": "F1"}]}, False),
        ({"channel_type": "im", "text": "hello"}, False),
        ({"channel_type": "im", "subtype": "file_share", "files": [], "bot_id": "B1"}, False),
    ],
)
def test_only_direct_messages_with_files_are_taken(event, handled):
    assert asyncio.run(is_direct_file_share(event)) is handled


def test_a_partners_delivery_counts_for_the_matching_data_deadline(slack_bot, mock_slack, sessions):
    from storage.events import list_events, missing_regions

    import_2014(sessions)
    coordinator = Identity(platform="slack", user_id=COORDINATOR_ID, workspace_id="T0001",
                           channel_id="CGENERAL")  # fmt: skip
    limburg = Identity(platform="slack", user_id=PARTNER_ID, workspace_id="T0001")
    core = slack_bot.runtime.core
    core.run_line(limburg, "/chemclust join Limburg")
    core.run_line(coordinator, '/deadline add "Benchmark data 2014" 15/12/2030 17:00 for all')
    core.run_line(coordinator, '/deadline add "Implementation report" 20/12/2030 17:00 for all')

    share(slack_bot, mock_slack, user=PARTNER_ID, name="limburg.csv", content=wide_csv())
    message = answer_in_dm(mock_slack, PARTNER_ID)
    result = click(slack_bot, mock_slack, PARTNER_ID, buttons(message)["Replace 2014"])

    assert "Recorded as Limburg's delivery for D" in result
    assert "Benchmark data 2014" in result
    with sessions() as session:
        group_id = slack_bot.runtime.core.context(limburg).group_id
        deadlines = {e.title: e for e in list_events(session=session, group_id=group_id,
                                                      kinds=["deadline"])}  # fmt: skip
        data_missing = {r.name for r in missing_regions(deadlines["Benchmark data 2014"])}
        report_missing = {r.name for r in missing_regions(deadlines["Implementation report"])}
    assert "Limburg" not in data_missing
    assert len(data_missing) == 9
    assert "Limburg" in report_missing
