"""``chemclust-bot doctor`` names what is wrong, one line each with the fix, against a real
database and the mock Slack Web API (which answers with an ``X-OAuth-Scopes`` header)."""

from __future__ import annotations

import json

from alembic import command

from bot.slack.manifest import manifest_scopes
from storage.db import make_engine, make_session_factory
from storage.groups import default_group
from storage.migrate import alembic_config, head_revisions
from storage.models import utcnow
from tests.support.processes import free_port
from tests.support.slack_requests import BOT_TOKEN


def test_a_good_set_up_is_all_well(doctor, mock_slack):
    code, out = doctor()
    assert code == 0, out
    assert "All is well" in out
    assert "PROBLEM" not in out
    assert [c.method for c in mock_slack.calls] == ["auth.test"]
    code, out = doctor("--json")
    report = json.loads(out)
    assert (code, report["ok"]) == (0, True)
    statuses = {check["name"]: check["status"] for check in report["checks"]}
    for name in ("database", "schema", "slack token", "slack scopes", "dispatcher"):
        assert statuses[name] == "ok", report


def test_an_unreachable_database_is_named(doctor):
    doctor.env["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"
    code, lines = doctor.lines()
    assert code == 1
    assert lines["database"].startswith("PROBLEM cannot reach the database at postgresql")
    assert "check DATABASE_URL" in lines["database"]
    assert lines["schema"].startswith("skipped")


def test_a_pending_migration_is_named_with_the_command_that_applies_it(doctor, database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
        connection.commit()
    engine.dispose()
    code, lines = doctor.lines()
    assert code == 1
    (newest,) = head_revisions()
    assert lines["schema"].startswith(f"PROBLEM 1 migration(s) not applied: {newest}")
    assert "chemclust-bot db upgrade" in lines["schema"]


def test_a_revoked_token_is_named(doctor, mock_slack):
    mock_slack.revoked_tokens.add(BOT_TOKEN)
    code, lines = doctor.lines()
    assert code == 1
    assert lines["slack token"].startswith(
        "PROBLEM Slack says SLACK_BOT_TOKEN was revoked (token_revoked)"
    )
    assert "reinstall the app" in lines["slack token"]
    assert BOT_TOKEN not in "".join(lines.values())


def test_a_token_missing_scopes_the_manifest_asks_for_is_named(doctor, mock_slack):
    granted = frozenset(manifest_scopes()) - {"reactions:write", "im:history"}
    mock_slack.scopes = ",".join(sorted(granted))
    code, lines = doctor.lines()
    assert code == 1
    assert lines["slack scopes"].startswith("PROBLEM the token lacks im:history, reactions:write")
    assert "reinstall the app" in lines["slack scopes"]


def test_reminders_waiting_without_a_dispatcher_and_no_group_channel_are_named(
    doctor, database_url
):
    from datetime import timedelta

    from storage.group_channels import clear_group_channel
    from storage.models import Reminder

    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        group = default_group(session=session)
        clear_group_channel(session=session, group_id=group.id, platform="slack")
        due = utcnow() - timedelta(minutes=10)
        session.add(
            Reminder(
                group_id=group.id,
                kind="notice",
                due_at=due,
                not_before=due,
                platform="slack",
                target={"channel": "CGENERAL"},
                payload={},
            )
        )
    engine.dispose()
    code, lines = doctor.lines()
    assert code == 1
    assert lines["dispatcher"].startswith("PROBLEM 1 reminder(s) due and waiting, the oldest")
    assert "no dispatcher is sending" in lines["dispatcher"]
    assert "/chemclust channel" in lines["group channel (chemclust)"]
