"""The audit trail through signed Slack requests: one row per change, none for a refusal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.cli import main
from storage.models import AuditEntry, Event
from tests.bot.slack.test_events_over_http import shown
from tests.bot.slack.test_user_text_over_http import answer_to
from tests.conftest import COORDINATOR_ID, PARTNER_ID
from tests.support.benchmark_files import to_csv, wide_rows


def entries(sessions) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_moving_a_deadline_leaves_one_row_with_its_start_before_and_after(
    slack_bot, mock_slack, sessions
):
    answer_to(slack_bot, mock_slack, "/deadline", 'add "Data call 2027" in 3 weeks')
    with sessions() as session:
        event = session.scalars(select(Event).order_by(Event.id.desc())).first()
        ref, old_start = event.ref, event.starts_at
    before = count(sessions)

    # Refused: a partner may not move it, and a time that cannot be read moves nothing.
    refused = answer_to(
        slack_bot, mock_slack, "/deadline", f"move {ref} in 4 weeks", user=PARTNER_ID
    )
    assert refused["response_type"] == "ephemeral"
    unreadable = answer_to(slack_bot, mock_slack, "/deadline", f"move {ref} someday soonish")
    assert unreadable["response_type"] == "ephemeral"
    assert count(sessions) == before

    moved = answer_to(slack_bot, mock_slack, "/deadline", f"move {ref} in 4 weeks")
    assert "error id" not in shown(moved)
    [entry] = entries(sessions)[before:]
    with sessions() as session:
        new_start = session.scalar(select(Event.starts_at).where(Event.number == int(ref[1:])))
    assert (entry.entity, entry.entity_id, entry.action) == ("deadline", ref, "move")
    assert (entry.actor_platform, entry.actor_user_id) == ("slack", COORDINATOR_ID)
    assert datetime.fromisoformat(entry.before["starts_at"]) == old_start
    assert datetime.fromisoformat(entry.after["starts_at"]) == new_start
    assert set(entry.before) == {"starts_at"}

    listed = answer_to(slack_bot, mock_slack, "/chemclust", f"audit deadline {ref}")
    assert listed["response_type"] == "ephemeral"
    text = shown(listed)
    assert f"move* deadline {ref}" in text
    assert f"starts_at: {entry.before['starts_at']} → {entry.after['starts_at']}" in text


def test_editing_a_practice_leaves_one_row_and_a_refused_edit_none(slack_bot, mock_slack, sessions):
    # The coordinator's first command records them as one (CHEMCLUST_COORDINATORS): a change.
    answer_to(slack_bot, mock_slack, "/chemclust", "who")
    before = count(sessions)
    refused = answer_to(slack_bot, mock_slack, "/practice", "edit 1 year=1700")
    assert refused["response_type"] == "ephemeral"
    assert count(sessions) == before

    edited = answer_to(slack_bot, mock_slack, "/practice", "edit 1 year=2011 | contact=Lab desk")
    assert "error id" not in shown(edited)
    [entry] = entries(sessions)[before:]
    assert (entry.entity, entry.entity_id, entry.action) == ("practice", "1", "edit")
    assert entry.after == {"year": 2011, "contact": "Lab desk"}
    assert set(entry.before) == {"year", "contact"}
    assert entry.before["year"] != 2011

    listed = shown(answer_to(slack_bot, mock_slack, "/chemclust", "audit practice 1"))
    assert "edit* practice 1" in listed
    assert f"year: {entry.before['year']} → 2011" in listed


def test_replacing_an_edition_leaves_one_row_with_the_figures_that_changed(
    slack_bot, mock_slack, sessions, database_url, monkeypatch, tmp_path, capsys
):
    rows = wide_rows()
    rows[1][1] = 25.25  # Saxony-Anhalt's tertiary education share, as the file says it
    path = tmp_path / "update-2012.csv"
    path.write_bytes(to_csv(rows))
    before = count(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    # Refused: an existing edition is only replaced with --replace; nothing is recorded.
    assert main(["import", "benchmark", str(path), "--edition", "2012 update"]) != 0
    assert count(sessions) == before

    assert main(["import", "benchmark", str(path), "--edition", "2012 update", "--replace"]) == 0
    capsys.readouterr()
    [entry] = entries(sessions)[before:]
    assert (entry.entity, entry.entity_id, entry.action) == ("edition", "2012 update", "replace")
    assert entry.actor_platform == "console"
    assert entry.after["figures"]["Saxony-Anhalt · TERT"] == 25.25
    changed = entry.after["figures"]
    assert all(entry.before["figures"][name] != changed[name] for name in changed)
    assert entry.before["sample"] is True
    assert entry.after["sample"] is False

    listed = shown(answer_to(slack_bot, mock_slack, "/chemclust", "audit edition 2012 update"))
    assert "replace* edition 2012 update" in listed


def test_filters_by_person_and_date_and_wrong_filters_get_the_syntax(
    slack_bot, mock_slack, sessions
):
    answer_to(slack_bot, mock_slack, "/chemclust", "join Masovia", user=PARTNER_ID)
    answer_to(slack_bot, mock_slack, "/chemclust", "join Limburg")
    person = shown(answer_to(slack_bot, mock_slack, "/chemclust", f"audit <@{PARTNER_ID}|partner>"))
    assert "join* member" in person
    assert "Limburg" not in person.replace("Masovia", "")

    recent = shown(answer_to(slack_bot, mock_slack, "/chemclust", "audit since 2020-01-01"))
    assert recent.count("join* member") == 2
    future = shown(answer_to(slack_bot, mock_slack, "/chemclust", "audit since 31/12/2999"))
    assert "No change is recorded that fits." in future

    before = count(sessions)
    for wrong in ("audit since yesterdayish", "audit gadget 7", "audit @nobody"):
        answer = answer_to(slack_bot, mock_slack, "/chemclust", wrong)
        assert answer["response_type"] == "ephemeral", wrong
        assert "/chemclust audit &lt;entity&gt; &lt;id&gt;" in shown(answer), wrong
    not_allowed = answer_to(slack_bot, mock_slack, "/chemclust", "audit", user=PARTNER_ID)
    assert not_allowed["text"] == "Only coordinators can read the audit trail."
    assert count(sessions) == before
