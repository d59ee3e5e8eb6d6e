"""A weekly digest whose process died after claiming it: taken over after the lease, looked
for in the channel before it is posted again, and never left unsent for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Date, column, select, table

from commands.pilots.digest import MAX_ATTEMPTS, send_due_digests
from commands.port import Mark, NotFound, RetryLater, Sent
from storage.db import make_engine
from storage.digests import claim_digest
from storage.groups import default_group
from storage.migrate import alembic_config, upgrade
from storage.models import DigestRun, GroupChannel, UTCDateTime
from tests.support.events import RecordingSender

# Monday 30 November 2026, 09:00 in Brussels (CET, UTC+1).
MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
# A Teams channel thread: longer than the 64 characters digest runs used to keep.
TEAMS_THREAD = "19:8d8f1e0c9a0b4f1e9c2d3e4f5a6b7c8d@thread.tacv2;messageid=1764489600123"


@pytest.fixture
def group_id(sessions) -> int:
    with sessions.begin() as session:
        group = default_group(session=session)
        session.add(
            GroupChannel(group_id=group.id, platform="slack", channel_id="CPILOTS", set_by="U1")
        )
        return group.id


def tick(sessions, sender, now, claimer="alive"):
    return send_due_digests(
        sessions, now=now, senders={"slack": sender}, claimer=claimer, lease=LEASE
    )


def claimed_by_a_process_that_dies(sessions, group_id, now) -> int:
    """What a process leaves when it dies after posting the digest, before recording it."""
    with sessions.begin() as session:
        run = claim_digest(
            session=session,
            group_id=group_id,
            platform="slack",
            week_of=MONDAY_NINE.date(),
            channel_id="CPILOTS",
            now=now,
            claimer="dead",
            lease=LEASE,
            max_attempts=MAX_ATTEMPTS,
        )
        return run.id


def the_run(sessions) -> DigestRun:
    with sessions() as session:
        (run,) = session.scalars(select(DigestRun)).all()
        return run


def test_a_claim_left_by_a_dead_process_is_taken_over_after_its_lease(sessions, group_id):
    run_id = claimed_by_a_process_that_dies(sessions, group_id, MONDAY_NINE)
    sender = RecordingSender(lookups=[NotFound()])

    assert tick(sessions, sender, MONDAY_NINE + timedelta(minutes=1)) == []  # still held
    [result] = tick(sessions, sender, MONDAY_NINE + timedelta(minutes=15))

    assert (result.sent, result.found_earlier) == (True, False)
    assert sender.searched == [(Mark("digest", run_id), MONDAY_NINE)]
    assert sender.marks == [Mark("digest", run_id)]
    assert [target.conversation for target, _ in sender.sent] == [{"channel": "CPILOTS"}]
    run = the_run(sessions)
    assert (run.status, run.claimed_by, run.attempts) == ("sent", "alive", 2)
    assert tick(sessions, sender, MONDAY_NINE + timedelta(minutes=30)) == []
    assert len(sender.sent) == 1


def test_a_digest_the_dead_process_had_posted_is_recorded_not_posted_again(sessions, group_id):
    claimed_by_a_process_that_dies(sessions, group_id, MONDAY_NINE)
    sender = RecordingSender(lookups=[Sent("CPILOTS:1764489600.000100")])
    [result] = tick(sessions, sender, MONDAY_NINE + timedelta(minutes=15))
    assert (result.sent, result.found_earlier) == (True, True)
    assert sender.sent == []
    run = the_run(sessions)
    assert (run.status, run.unconfirmed_since) == ("sent", None)


def test_a_failed_search_waits_for_the_next_tick_and_the_last_attempt_posts(sessions, group_id):
    claimed_by_a_process_that_dies(sessions, group_id, MONDAY_NINE)  # attempt 1
    sender = RecordingSender(lookups=[RetryLater("Slack rate limit (429)")] * 10)

    tick(sessions, sender, MONDAY_NINE + timedelta(minutes=15))  # attempt 2: cannot look yet
    run = the_run(sessions)
    assert (run.status, run.attempts, run.unconfirmed_since) == ("failed", 2, MONDAY_NINE)
    assert sender.sent == []

    # The last attempt cannot look either: better a rare duplicate than no digest this week.
    [result] = tick(sessions, sender, MONDAY_NINE + timedelta(minutes=30))
    assert result.sent
    assert len(sender.sent) == 1
    assert [since for _, since in sender.searched] == [MONDAY_NINE, MONDAY_NINE]
    assert the_run(sessions).attempts == MAX_ATTEMPTS


def test_a_teams_thread_gets_its_digest(sessions):
    with sessions.begin() as session:
        group = default_group(session=session)
        session.add(
            GroupChannel(group_id=group.id, platform="teams", channel_id=TEAMS_THREAD, set_by="A")
        )
    sender = RecordingSender()
    [result] = send_due_digests(sessions, now=MONDAY_NINE, senders={"teams": sender})
    assert result.sent
    assert [target.conversation for target, _ in sender.sent] == [{"channel": TEAMS_THREAD}]


def test_claims_left_before_digests_had_a_lease_are_taken_over(database_url, sessions, group_id):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_teams_updates")
        old_run = table(
            "digest_run",
            column("group_id"),
            column("platform"),
            column("week_of", Date()),
            column("channel_id"),
            column("status"),
            column("attempts"),
            column("claimed_at", UTCDateTime()),
        )
        connection.execute(
            old_run.insert().values(
                group_id=group_id,
                platform="slack",
                week_of=MONDAY_NINE.date(),
                channel_id="CPILOTS",
                status="sending",  # its process died; before 0009 this was for good
                attempts=1,
                claimed_at=MONDAY_NINE,
            )
        )
        connection.commit()
    upgrade(engine)
    engine.dispose()

    sender = RecordingSender(lookups=[NotFound()])
    [result] = tick(sessions, sender, MONDAY_NINE + timedelta(minutes=15))
    assert result.sent
    assert [since for _, since in sender.searched] == [MONDAY_NINE]
    assert the_run(sessions).status == "sent"
