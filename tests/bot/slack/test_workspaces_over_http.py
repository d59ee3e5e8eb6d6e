"""Workspaces join a group by invitation, through the real web process with OAuth on:
refused before, served after; each workspace reached with its own token; a revoked one
fails at once and the coordinators are told; an outsider in a shared channel writes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from storage.groups import default_group
from storage.models import Member, PilotUpdate, Reminder, Workspace
from storage.workspaces import link_workspace
from tests.bot.slack.test_events_over_http import shown, wait_until
from tests.bot.test_processes import due_now
from tests.conftest import COORDINATOR_ID
from tests.support import slack_events as events
from tests.support.bot_server import DISPATCH_SECONDS, start_bot
from tests.support.oauth import HOME, NEWCOMER, install, oauth_settings
from tests.support.slack_requests import answer_to_command

NEWBIE = "UNEWBIE"


@pytest.fixture
def group_bot(database_url, mock_slack, sessions):
    running = start_bot(oauth_settings(database_url, mock_slack, dispatch_seconds=DISPATCH_SECONDS))
    for workspace in (HOME, NEWCOMER):
        assert install(running.url, mock_slack, workspace).status == 200
    # The operator links the first workspace to ChemClust; the others come by invitation.
    with sessions.begin() as session:
        group = default_group(session=session)
        link_workspace(
            session=session, group_id=group.id, platform="slack", external_id=HOME.team_id
        )
    yield running
    running.stop()


def say(bot, mock_slack, name: str, text: str, *, user: str, team: str, channel: str) -> dict:
    options = {"user_id": user, "team_id": team, "channel_id": channel}
    return answer_to_command(bot.slack_url, mock_slack, name, text, **options)


def newcomer(bot, mock_slack, name: str, text: str, *, user: str = NEWBIE) -> dict:
    return say(bot, mock_slack, name, text, user=user, team=NEWCOMER.team_id, channel="CNEW")


def bearer(call) -> str:
    return call.headers.get("authorization", "").removeprefix("Bearer ")


def posts_with(mock_slack, words: str) -> list:
    return [c for c in mock_slack.of("chat.postMessage") if words in shown(c.data)]


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def join_by_invitation(bot, mock_slack) -> dict:
    invited = say(
        bot,
        mock_slack,
        "/chemclust",
        "invite",
        user=COORDINATOR_ID,
        team=HOME.team_id,
        channel="CGENERAL",
    )
    assert invited.get("response_type") == "ephemeral", invited
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", shown(invited)).group(0)
    return say(
        bot,
        mock_slack,
        "/chemclust",
        f"accept {code.lower()}",
        user=NEWBIE,
        team=NEWCOMER.team_id,
        channel="CNEW",
    )


def test_a_new_workspace_sees_nothing_until_it_accepts_an_invitation(
    group_bot, mock_slack, sessions
):
    before = newcomer(group_bot, mock_slack, "/benchmark", "Limburg")
    assert before.get("response_type") == "ephemeral", before
    assert "not part of a working group yet" in shown(before)
    assert "Composite index" not in shown(before)
    assert count(sessions, Member) == 0

    accepted = join_by_invitation(group_bot, mock_slack)
    assert "now belongs to the" in shown(accepted)
    with sessions() as session:
        linked = session.scalars(select(Workspace.external_id)).all()
    assert sorted(linked) == sorted([HOME.team_id, NEWCOMER.team_id])

    # The coordinators are told, in their own workspace, with its token.
    wait_until(
        lambda: any("joined the" in shown(c.data) for c in mock_slack.of("chat.postMessage"))
    )
    [notice] = [c for c in mock_slack.of("chat.postMessage") if "joined the" in shown(c.data)]
    assert bearer(notice) == HOME.bot_token

    after = newcomer(group_bot, mock_slack, "/benchmark", "Limburg")
    assert "Composite index" in shown(after)
    assert "Limburg" in shown(after)

    # An invitation is good once.
    again = join_by_invitation(group_bot, mock_slack)
    assert "already belongs" in shown(again)


def test_a_deadline_added_in_a_workspace_is_reminded_with_that_workspace_token(
    group_bot, mock_slack, sessions
):
    join_by_invitation(group_bot, mock_slack)
    added = newcomer(
        group_bot,
        mock_slack,
        "/deadline",
        'add "Chemelot data" in 1 hour remind 0m',
        user=COORDINATOR_ID,
    )
    assert "New deadline" in shown(added), shown(added)
    due_now(group_bot.runtime.settings.database_url)
    wait_until(lambda: posts_with(mock_slack, "Chemelot data"), timeout=20)
    posts = posts_with(mock_slack, "Chemelot data")
    assert {c.data["channel"] for c in posts} == {"CNEW"}
    assert {bearer(c) for c in posts} == {NEWCOMER.bot_token}


def test_a_reminder_to_a_workspace_whose_tokens_were_revoked_fails_at_once_and_coordinators_hear(
    group_bot, mock_slack, sessions, database_url
):
    join_by_invitation(group_bot, mock_slack)
    newcomer(
        group_bot,
        mock_slack,
        "/deadline",
        'add "Revoked data" in 1 hour remind 0m',
        user=COORDINATOR_ID,
    )
    # The coordinator is last seen at home, where the notice goes.
    say(
        group_bot,
        mock_slack,
        "/chemclust",
        "who",
        user=COORDINATOR_ID,
        team=HOME.team_id,
        channel="CGENERAL",
    )
    revoked = events.event_callback({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}})
    revoked["team_id"] = NEWCOMER.team_id
    revoked["authorizations"][0]["team_id"] = NEWCOMER.team_id
    assert events.deliver(group_bot.slack_url, revoked).status == 200
    due_now(database_url)  # once the tokens are gone, however long the requests took

    def failed() -> bool:
        with sessions() as session:
            return (
                session.scalar(
                    select(func.count()).where(Reminder.kind == "lead", Reminder.status == "failed")
                )
                == 1
            )

    wait_until(failed, timeout=20)
    with sessions() as session:
        [row] = session.scalars(select(Reminder).where(Reminder.kind == "lead")).all()
        assert row.attempts == 1
    wait_until(lambda: posts_with(mock_slack, "Revoked data"), timeout=20)
    [notice] = posts_with(mock_slack, "Revoked data")
    assert bearer(notice) == HOME.bot_token
    assert not any(bearer(c) == NEWCOMER.bot_token for c in mock_slack.of("chat.postMessage"))


def test_an_outsider_in_a_shared_channel_is_refused_and_nothing_is_written(
    group_bot, mock_slack, sessions
):
    update = events.message("update skills: Chemelot pilot line is running", user="UOUTSIDER")
    update["event"]["user_team"] = NEWCOMER.team_id  # not linked: no invitation accepted
    update["event"]["source_team"] = HOME.team_id
    assert events.deliver(group_bot.slack_url, update).status == 200
    [refusal] = mock_slack.wait_for("chat.postEphemeral", timeout=10)
    assert refusal.data["user"] == "UOUTSIDER"
    assert "not part of a working group" in shown(refusal.data)
    assert count(sessions, PilotUpdate) == 0
    assert count(sessions, Member) == 0
