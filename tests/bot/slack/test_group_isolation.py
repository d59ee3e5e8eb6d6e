"""Two working groups served by one web process (OAuth on, a workspace each): every answer,
export, calendar feed, digest, Home and audit trail holds its own group's data only, reaches
its own workspace with that workspace's token, and shows none of the other group's."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from storage.calendars import feed_token
from storage.groups import group_by_slug
from tests.bot.slack.test_events_over_http import fetch, shown
from tests.conftest import COORDINATOR_ID
from tests.support import slack_events as events
from tests.support.digest_tick import weekly_digest_job
from tests.support.groups import (
    BATTERIES,
    add_group_practice,
    add_sample_figures,
    create_batteries,
)
from tests.support.oauth import BATTERIES as BATTERIES_TEAM
from tests.support.oauth import HOME, start_installed_bot
from tests.support.slack_requests import answer_to_command

BATTERIES_COORDINATOR = "UBATT01"  # named in the group's file
ASTRID = "UBATT02"  # a partner of the batteries group
# Monday 09:00 in Brussels and in Stockholm (the groups' zones), in winter.
MONDAY_NINE = datetime(2030, 12, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def two_groups(database_url, mock_slack, sessions):
    running = start_installed_bot(database_url, mock_slack, sessions, BATTERIES_TEAM)
    create_batteries(sessions, workspace=BATTERIES_TEAM.team_id)
    add_sample_figures(sessions)
    add_group_practice(
        sessions,
        BATTERIES,
        title="Regional battery fund",
        region="Västerbotten",
        themes="Financing",
        summary="Loans for cell plants in the valley.",
    )
    yield running
    running.stop()


def chemclust(bot, mock_slack, name: str, text: str = "", *, user: str = "UPARTNER") -> dict:
    options = {"user_id": user, "team_id": HOME.team_id, "channel_id": "CGENERAL"}
    return answer_to_command(bot.slack_url, mock_slack, name, text, **options)


def batteries(bot, mock_slack, name: str, text: str = "", *, user: str = ASTRID) -> dict:
    options = {"user_id": user, "team_id": BATTERIES_TEAM.team_id, "channel_id": "CBATT"}
    return answer_to_command(bot.slack_url, mock_slack, name, text, **options)


def bearer(call) -> str:
    return call.headers.get("authorization", "").removeprefix("Bearer ")


def in_team(body: dict, team: str) -> dict:
    """An Events API delivery as Slack sends it for ``team``'s workspace."""
    body["team_id"] = team
    body["authorizations"][0]["team_id"] = team
    body["event"]["team"] = team
    body["event"]["user_team"] = team
    return body


def theme_buttons(answer: dict) -> list[str]:
    return [
        element["text"]["text"]
        for block in answer.get("blocks", [])
        for element in block.get("elements", [])
        if element.get("type") == "button" and element.get("value", "").startswith("0|theme:")
    ]


def test_benchmark_pilot_and_practice_answer_each_group_with_its_own_data(two_groups, mock_slack):
    bot = two_groups
    league = shown(batteries(bot, mock_slack, "/benchmark"))
    assert "Västerbotten" in league
    assert "Nouvelle-Aquitaine" in league
    assert "Limburg" not in league
    assert "Masovia" not in league
    assert "partner region called “Limburg”" in shown(
        batteries(bot, mock_slack, "/benchmark", "Limburg")
    )
    profile = shown(batteries(bot, mock_slack, "/benchmark", "Vasterbotten"))
    assert "Cell factory capacity" in profile
    assert "illustrative" in profile.lower()  # the group's figures are a sample, and say so
    pilots = shown(batteries(bot, mock_slack, "/pilot"))
    assert "Cell recycling" in pilots
    assert "Open innovation" not in pilots
    assert "Skills foresight" not in pilots
    library = shown(batteries(bot, mock_slack, "/practice"))
    assert "1 good practice from 1 partner regions" in library
    found = shown(batteries(bot, mock_slack, "/practice", "fund"))
    assert "Regional battery fund" in found
    assert "No practice matches “Chemelot”" in shown(
        batteries(bot, mock_slack, "/practice", "Chemelot")
    )
    # A search that finds nothing offers the group's own themes to browse, and only those.
    assert theme_buttons(batteries(bot, mock_slack, "/practice", "zeppelin")) == ["Financing"]

    chem_league = shown(chemclust(bot, mock_slack, "/benchmark"))
    assert "Limburg" in chem_league
    assert "Västerbotten" not in chem_league
    assert "partner region called “Vasterbotten”" in shown(
        chemclust(bot, mock_slack, "/benchmark", "Vasterbotten")
    )
    chem_pilots = shown(chemclust(bot, mock_slack, "/pilot"))
    assert "Open innovation" in chem_pilots
    assert "Cell recycling" not in chem_pilots
    assert "25 good practices" in shown(chemclust(bot, mock_slack, "/practice"))
    assert "No practice matches “fund”" not in shown(
        chemclust(bot, mock_slack, "/practice", "fund")
    )
    assert "Regional battery fund" not in shown(chemclust(bot, mock_slack, "/practice", "fund"))
    chem_themes = theme_buttons(chemclust(bot, mock_slack, "/practice", "zeppelin"))
    assert "Skills and training" in chem_themes
    assert "Regulation" not in chem_themes  # no ChemClust practice carries it


def _files_sent(mock_slack, count: int) -> list:
    return mock_slack.wait_for("files.completeUploadExternal", count, timeout=30)


def test_exports_hold_the_groups_own_data_and_go_with_its_own_token(two_groups, mock_slack):
    bot = two_groups
    batteries(bot, mock_slack, "/benchmark", "export")
    [requested] = mock_slack.wait_for("files.getUploadURLExternal", timeout=30)
    assert requested.data["filename"] == "batteries-benchmark.xlsx"
    [completed] = _files_sent(mock_slack, 1)
    assert bearer(completed) == BATTERIES_TEAM.bot_token
    [upload] = mock_slack.of("/upload/")
    cells = {
        str(cell.value)
        for sheet in load_workbook(io.BytesIO(upload.raw)).worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert {"Västerbotten", "Nouvelle-Aquitaine"} <= cells
    assert not {"Limburg", "Masovia", "Tertiary education"} & cells

    batteries(bot, mock_slack, "/pilot", "export")
    completed = _files_sent(mock_slack, 3)[1:]
    assert {bearer(call) for call in completed} == {BATTERIES_TEAM.bot_token}
    workbook = load_workbook(io.BytesIO(mock_slack.of("/upload/")[1].raw))
    assert workbook.sheetnames == ["Cell recycling"]

    chemclust(bot, mock_slack, "/benchmark", "export")
    chem_file = _files_sent(mock_slack, 4)[3]
    assert bearer(chem_file) == HOME.bot_token
    chem_cells = {
        str(cell.value)
        for sheet in load_workbook(io.BytesIO(mock_slack.of("/upload/")[3].raw)).worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert "Limburg" in chem_cells
    assert not {"Västerbotten", "Cell factory capacity"} & chem_cells


def test_each_calendar_feed_lists_its_own_groups_events_only(two_groups, mock_slack, sessions):
    bot = two_groups
    added = batteries(
        bot,
        mock_slack,
        "/workshop",
        'add "Cell plant visit" 10/12/2030 10:00 at Skellefteå',
        user=BATTERIES_COORDINATOR,
    )
    assert "Cell plant visit" in shown(added), shown(added)
    chemclust(
        bot,
        mock_slack,
        "/workshop",
        'add "Chemelot open day" 11/12/2030 10:00',
        user=COORDINATOR_ID,
    )
    with sessions.begin() as session:
        tokens = {
            slug: feed_token(session=session, group_id=group_by_slug(session=session, slug=slug).id)
            for slug in (BATTERIES, "chemclust")
        }

    def summaries(slug: str) -> set[str]:
        status, body, _ = fetch(f"{bot.url}/calendar/{tokens[slug]}.ics")
        assert status == 200
        return {str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")}

    assert summaries(BATTERIES) == {"Cell plant visit (W1)"}
    chem = summaries("chemclust")
    assert "Chemelot open day (W6)" in chem
    assert not any("Cell plant" in summary for summary in chem)


def test_each_groups_channel_gets_its_own_weekly_digest(two_groups, mock_slack):
    bot = two_groups
    set_up = batteries(bot, mock_slack, "/chemclust", "channel", user=BATTERIES_COORDINATOR)
    assert "digest" in shown(set_up).lower(), shown(set_up)
    chemclust(bot, mock_slack, "/chemclust", "channel", user=COORDINATOR_ID)
    bot.runtime.core.clock = lambda: MONDAY_NINE
    job = weekly_digest_job(bot.runtime)
    job.run()
    digests = [c for c in mock_slack.of("chat.postMessage") if "Pilot digest" in shown(c.data)]
    by_channel = {c.data["channel"]: c for c in digests}
    assert sorted(by_channel) == ["CBATT", "CGENERAL"]
    assert bearer(by_channel["CBATT"]) == BATTERIES_TEAM.bot_token
    assert bearer(by_channel["CGENERAL"]) == HOME.bot_token
    battery_digest, chem_digest = (
        shown(by_channel["CBATT"].data),
        shown(by_channel["CGENERAL"].data),
    )
    assert "Cell recycling" in battery_digest
    assert "Västerbotten" in battery_digest
    assert "Open innovation" not in battery_digest
    assert "Limburg" not in battery_digest
    assert "Open innovation" in chem_digest
    assert "Cell recycling" not in chem_digest
    assert "Västerbotten" not in chem_digest


def _open_home(bot, user: str, team: str) -> None:
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
    event["event_ts"] = events.new_ts()
    assert events.deliver(bot.slack_url, in_team(events.event_callback(event), team)).status == 200


def test_the_home_of_a_member_of_each_group_shows_that_group_only(two_groups, mock_slack):
    bot = two_groups
    assert "You now represent" in shown(
        batteries(bot, mock_slack, "/chemclust", "join Västerbotten")
    )
    assert "You now represent" in shown(chemclust(bot, mock_slack, "/chemclust", "join Limburg"))
    _open_home(bot, ASTRID, BATTERIES_TEAM.team_id)
    [astrid_home] = mock_slack.wait_for("views.publish", timeout=20)
    _open_home(bot, "UPARTNER", HOME.team_id)
    chem_home = mock_slack.wait_for("views.publish", 2, timeout=20)[1]
    assert (astrid_home.data["user_id"], bearer(astrid_home)) == (ASTRID, BATTERIES_TEAM.bot_token)
    assert (chem_home.data["user_id"], bearer(chem_home)) == ("UPARTNER", HOME.bot_token)
    astrid_view, chem_view = str(astrid_home.data["view"]), str(chem_home.data["view"])
    assert "Cell recycling" in astrid_view
    assert "Västerbotten" in astrid_view
    assert "Open innovation" not in astrid_view
    assert "Limburg" not in astrid_view
    assert "Limburg" in chem_view
    assert "Open innovation" in chem_view
    assert "Cell recycling" not in chem_view
    assert "Västerbotten" not in chem_view


def test_a_change_in_the_batteries_group_never_shows_in_chemclusts_audit(two_groups, mock_slack):
    bot = two_groups
    added = batteries(
        bot, mock_slack, "/workshop", 'add "Cell plant visit" 10/12/2030 10:00 at Skellefteå',
        user=BATTERIES_COORDINATOR,
    )  # fmt: skip
    assert "Cell plant visit" in shown(added), shown(added)
    assert "You now represent" in shown(
        batteries(bot, mock_slack, "/chemclust", "join Västerbotten")
    )

    seen = [
        shown(chemclust(bot, mock_slack, "/chemclust", f"audit {words}", user=COORDINATOR_ID))
        for words in ("", "workshop W1", "since 2020-01-01")
    ]
    assert all("Audit trail" in answer for answer in seen), seen
    assert "No change is recorded that fits." in seen[1]
    for trace in ("Cell plant", "Västerbotten", "Skellefteå", BATTERIES_COORDINATOR):
        assert not [answer for answer in seen if trace in answer], trace

    theirs = shown(batteries(bot, mock_slack, "/chemclust", "audit", user=BATTERIES_COORDINATOR))
    assert "Cell plant visit" in theirs
    assert "Västerbotten" in theirs
    assert "export audit --group batteries" in theirs
