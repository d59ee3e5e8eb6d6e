"""A process killed with SIGKILL after Slack took its message, before it recorded that: the
next process recognises the message by its metadata and does not send it again.

Slack's (mock) Web API holds back its answer to ``chat.postMessage`` after keeping the
message, as a slow network would; the test kills the process during that wait.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from storage.db import make_engine, make_session_factory
from storage.groups import default_group
from storage.models import DigestRun, GroupChannel
from tests.bot.test_processes import (
    command,
    due_now,
    leases_lapsed,
    reminder_rows,
    shown,
    wait_until,
)
from tests.conftest import COORDINATOR_ID
from tests.support.processes import BotProcess, environment
from tests.support.slack_requests import BOT_TOKEN

LEASE_SECONDS = 2
TAKEOVER_WAIT = 30
ROOT = Path(__file__).resolve().parents[2]


def kept(mock_slack, channel: str, words: str) -> dict:
    """The one message Slack keeps in ``channel`` that says ``words``."""
    (message,) = [m for m in mock_slack.history.messages[channel] if words in (m["text"] or "")]
    return message


def names(message: dict, event_type: str, key: str, row_id: int) -> bool:
    """Whether the message's metadata names the row it was posted for."""
    metadata = message.get("metadata") or {}
    return metadata.get("event_type") == event_type and metadata["event_payload"] == {key: row_id}


def killed(process: subprocess.Popen) -> None:
    process.kill()  # SIGKILL: nothing after the claim's commit runs, no clean-up
    process.wait(timeout=10)


def test_a_reminder_whose_process_was_killed_mid_send_is_not_sent_again(
    database_url, mock_slack, tmp_path
):
    options = {
        "database_url": database_url,
        "slack_api_url": mock_slack.api_url,
        "CHEMCLUST_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    mock_slack.holds.hold("chat.postMessage")
    first = BotProcess(log_path=tmp_path / "first.log", **options).start()
    try:
        command(
            first,
            mock_slack,
            "/deadline",
            'add "Data before the crash" in 1 hour remind 0m',
            user_id=COORDINATOR_ID,
        )
        due_now(database_url)
        held = mock_slack.holds.wait_held("chat.postMessage", timeout=30)
        assert "Data before the crash" in shown(held.data)
        killed(first.process)
    finally:
        mock_slack.holds.release("chat.postMessage")
        first.stop()

    (lead,) = [r for r in reminder_rows(database_url) if r.kind == "lead"]
    assert lead.status == "sending"  # claimed, posted, never recorded
    message = kept(mock_slack, "CGENERAL", "Data before the crash")
    leases_lapsed(database_url)

    second = BotProcess(log_path=tmp_path / "second.log", **options).start()
    try:
        wait_until(
            lambda: [r.status for r in reminder_rows(database_url) if r.kind == "lead"] == ["sent"],
            timeout=TAKEOVER_WAIT,
            what="the reminder to be recorded after the takeover",
        )
        second.wait_for_dispatch_rounds(1)  # another round: nothing is sent
    finally:
        second.stop()

    posts = [c for c in mock_slack.of("chat.postMessage") if "Data before" in shown(c.data)]
    assert len(posts) == 1, second.log()
    (lead,) = [r for r in reminder_rows(database_url) if r.kind == "lead"]
    assert names(message, "chemclust_reminder", "reminder_id", lead.id)
    assert lead.message_ref == f"CGENERAL:{message['ts']}"
    assert lead.claimed_by.split(":")[1] == str(second.process.pid)
    (search,) = mock_slack.of("conversations.history")
    assert search.data["channel"] == "CGENERAL"
    assert float(search.data["oldest"]) < float(message["ts"])
    assert "not posting it again" in second.log()


def test_a_batch_whose_process_was_killed_mid_send_is_not_sent_again(
    database_url, mock_slack, tmp_path
):
    """Four reminders due at the same moment in four channels go out as one batch, all four
    at once; the process is killed while Slack holds their answers. The next process finds
    each of them and posts none again."""
    options = {
        "database_url": database_url,
        "slack_api_url": mock_slack.api_url,
        "CHEMCLUST_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    channels = ["CBATCH1", "CBATCH2", "CBATCH3", "CBATCH4"]
    mock_slack.holds.hold("chat.postMessage")
    first = BotProcess(log_path=tmp_path / "first.log", **options).start()
    try:
        for channel in channels:
            command(
                first,
                mock_slack,
                "/deadline",
                f'add "Batch data {channel}" in 1 hour remind 0m',
                user_id=COORDINATOR_ID,
                channel_id=channel,
            )
        # The four fall due together, however long the start and the commands took.
        due_now(database_url)
        wait_until(
            lambda: len(mock_slack.holds.held("chat.postMessage")) == len(channels),
            timeout=60,
            what="the batch's four posts to be held",
        )
        killed(first.process)
    finally:
        mock_slack.holds.release("chat.postMessage")
        first.stop()

    leads = [r for r in reminder_rows(database_url) if r.kind == "lead"]
    assert [r.status for r in leads] == ["sending"] * len(channels)
    kept_messages = {c: kept(mock_slack, c, f"Batch data {c}") for c in channels}
    leases_lapsed(database_url)

    second = BotProcess(log_path=tmp_path / "second.log", **options).start()
    try:
        wait_until(
            lambda: all(
                r.status == "sent" for r in reminder_rows(database_url) if r.kind == "lead"
            ),
            timeout=TAKEOVER_WAIT,
            what="the batch to be recorded after the takeover",
        )
    finally:
        second.stop()

    posts = [c.data["channel"] for c in mock_slack.of("chat.postMessage")]
    assert sorted(posts) == channels, second.log()
    for lead in (r for r in reminder_rows(database_url) if r.kind == "lead"):
        channel = lead.target["channel"]
        assert names(kept_messages[channel], "chemclust_reminder", "reminder_id", lead.id)
        assert lead.message_ref == f"{channel}:{kept_messages[channel]['ts']}"
    searched = sorted(c.data["channel"] for c in mock_slack.of("conversations.history"))
    assert searched == channels
    assert second.log().count("not posting it again") == len(channels)


MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Brussels


def digest_tick(database_url: str, mock_slack, log_path: Path, now: datetime) -> subprocess.Popen:
    env = environment(
        DATABASE_URL=database_url,
        SLACK_API_URL=mock_slack.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        CHEMCLUST_CLAIM_LEASE_SECONDS=str(LEASE_SECONDS),
    )
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.digest_tick", now.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def test_a_digest_whose_process_was_killed_mid_send_is_not_posted_again(
    database_url, mock_slack, tmp_path
):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        group = default_group(session=session)
        session.add(
            GroupChannel(group_id=group.id, platform="slack", channel_id="CPILOTS", set_by="U1")
        )
    now = MONDAY_NINE
    mock_slack.history.clock = lambda: now.timestamp()  # Slack's clock, in step with the job's
    mock_slack.holds.hold("chat.postMessage")
    first = digest_tick(database_url, mock_slack, tmp_path / "first.log", now)
    try:
        mock_slack.holds.wait_held("chat.postMessage", timeout=60)
        killed(first)
    finally:
        mock_slack.holds.release("chat.postMessage")
        if first.poll() is None:
            killed(first)

    with sessions() as session:
        (run,) = session.scalars(select(DigestRun)).all()
    assert run.status == "sending"  # claimed, posted, never recorded
    message = kept(mock_slack, "CPILOTS", "Pilot digest")

    now = MONDAY_NINE + timedelta(minutes=15)  # the next tick, well after the lease
    second = digest_tick(database_url, mock_slack, tmp_path / "second.log", now)
    assert second.wait(timeout=60) == 0, (tmp_path / "second.log").read_text()

    assert len(mock_slack.of("chat.postMessage")) == 1
    with sessions() as session:
        (run,) = session.scalars(select(DigestRun)).all()
    engine.dispose()
    assert (run.status, run.attempts) == ("sent", 2)
    assert names(message, "chemclust_digest", "digest_id", run.id)
    assert run.claimed_by.split(":")[1] == str(second.pid)
    (search,) = mock_slack.of("conversations.history")
    assert search.data["channel"] == "CPILOTS"
    assert float(search.data["oldest"]) < float(message["ts"])
