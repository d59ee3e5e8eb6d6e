"""An app installed org-wide on Enterprise Grid: the org has one installation and its
workspaces none of their own, so messages the bot sends later to a workspace of the org
(a reminder) find the org's token through the organisation noted when the workspace joined."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storage.models import Workspace as WorkspaceRow
from tests.bot.slack.test_events_over_http import shown, wait_until
from tests.bot.test_processes import due_now
from tests.conftest import COORDINATOR_ID
from tests.support.mock_slack_oauth import Workspace
from tests.support.oauth import HOME, start_installed_bot
from tests.support.slack_requests import answer_to_command

ORG = "E0GRID1"
GRID_TEAM = Workspace(
    "T0GRID", "Grid Chemicals", "xoxb-grid-0004-OrgWideSecret", ORG, is_enterprise_install=True
)


@pytest.fixture
def grid_bot(database_url, mock_slack, sessions):
    running = start_installed_bot(database_url, mock_slack, sessions, GRID_TEAM)
    yield running
    running.stop()


def in_grid(bot, mock_slack, name: str, text: str, *, user: str) -> dict:
    """A slash command from the org's workspace, as Slack sends it for an org-wide install."""
    return answer_to_command(
        bot.slack_url,
        mock_slack,
        name,
        text,
        user_id=user,
        team_id=GRID_TEAM.team_id,
        channel_id="CGRID",
        enterprise_id=ORG,
        is_enterprise_install="true",
    )


def bearer(call) -> str:
    return call.headers.get("authorization", "").removeprefix("Bearer ")


def test_a_reminder_to_a_workspace_of_an_org_wide_install_goes_with_the_orgs_token(
    grid_bot, mock_slack, sessions
):
    invited = answer_to_command(
        grid_bot.slack_url,
        mock_slack,
        "/chemclust",
        "invite",
        user_id=COORDINATOR_ID,
        team_id=HOME.team_id,
    )
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", shown(invited)).group(0)
    accepted = in_grid(grid_bot, mock_slack, "/chemclust", f"accept {code}", user="UGRID")
    assert "now belongs to the" in shown(accepted), shown(accepted)
    with sessions() as session:
        row = session.scalar(
            select(WorkspaceRow).where(WorkspaceRow.external_id == GRID_TEAM.team_id)
        )
        assert row.organisation_id == ORG

    added = in_grid(
        grid_bot,
        mock_slack,
        "/deadline",
        'add "Grid data" in 1 hour remind 0m',
        user=COORDINATOR_ID,
    )
    assert "New deadline" in shown(added), shown(added)
    due_now(grid_bot.runtime.settings.database_url)

    def reminded() -> list:
        return [c for c in mock_slack.of("chat.postMessage") if "Grid data" in shown(c.data)]

    wait_until(reminded, timeout=20)
    assert {c.data["channel"] for c in reminded()} == {"CGRID"}
    assert {bearer(c) for c in reminded()} == {GRID_TEAM.bot_token}
