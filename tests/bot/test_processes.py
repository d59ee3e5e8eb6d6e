"""Real ``chemclust-bot run`` processes: a reminder survives a stop across its due time, and
two processes on one PostgreSQL send every reminder exactly once."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storage.db import make_engine, make_session_factory
from storage.models import Reminder, utcnow
from tests.conftest import COORDINATOR_ID
from tests.support.mock_slack import MockSlack
from tests.support.processes import BotProcess, wait_for_dispatch_rounds
from tests.support.slack_requests import answer_to_command


def command(bot: BotProcess, mock_slack: MockSlack, name: str, text: str, **options) -> dict:
    """The answer to a signed slash command, also when a busy machine made the bot defer it
    past the acknowledgement ("Working on it…" and the answer at ``response_url``)."""
    return answer_to_command(bot.slack_url, mock_slack, name, text, **options)


def shown(data: dict) -> str:
    return data.get("text", "") + json.dumps(data.get("blocks", []), ensure_ascii=False)


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def due_now(
    database_url: str, *, ago: timedelta = timedelta(0), kinds: tuple[str, ...] = ("lead",)
) -> None:
    """Every pending reminder of ``kinds`` falls due ``ago`` before now (with ``remind 0m`` the
    lead one is at the event's time, the direct ones to partners too): as if the clock had
    jumped past the event's hour, for the dispatcher of a running process or the next one to
    start. However long a start or a command takes on a busy machine, the reminders become due
    after they were added, and together."""
    moment = utcnow() - ago
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            session.execute(
                update(Reminder)
                .where(Reminder.status == "pending", Reminder.kind.in_(kinds))
                .values(due_at=moment, not_before=moment)
            )
    finally:
        engine.dispose()


def leases_lapsed(database_url: str) -> None:
    """Every claim on a reminder has run out, as if the clock had jumped past the lease of a
    process that died holding it: the next dispatch run may take the rows over."""
    moment = utcnow() - timedelta(seconds=1)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            session.execute(
                update(Reminder).where(Reminder.status == "sending").values(lease_until=moment)
            )
    finally:
        engine.dispose()


def reminder_rows(database_url: str) -> list[Reminder]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(Reminder).order_by(Reminder.id)))
    finally:
        engine.dispose()


def test_a_deadline_that_fell_due_while_stopped_is_reminded_once_after_the_restart(
    database_url, mock_slack, tmp_path
):
    options = {"database_url": database_url, "slack_api_url": mock_slack.api_url}
    first = BotProcess(log_path=tmp_path / "first.log", **options).start()
    try:
        added = command(
            first,
            mock_slack,
            "/deadline",
            'add "Benchmark data 2012" in 1 hour remind 0m',
            user_id=COORDINATOR_ID,
        )
        assert added["response_type"] == "in_channel"
        assert "New deadline: Benchmark data 2012" in shown(added)
        listed = command(first, mock_slack, "/deadline", "list", user_id=COORDINATOR_ID)
        assert "Benchmark data 2012" in shown(listed)
    finally:
        first.stop()  # stopped before the reminder is due

    (lead,) = [r for r in reminder_rows(database_url) if r.kind == "lead"]
    assert lead.status == "pending"
    # While it is stopped, the due time passes, and the "late" margin of two dispatch rounds.
    due_now(database_url, ago=timedelta(seconds=2 * 1 + 5 + 1))
    assert [c for c in mock_slack.of("chat.postMessage") if "Benchmark" in shown(c.data)] == []

    second = BotProcess(log_path=tmp_path / "second.log", **options).start()
    try:
        wait_until(
            lambda: any("Benchmark" in shown(c.data) for c in mock_slack.of("chat.postMessage")),
            timeout=30,
            what="the reminder after the restart",
        )
        second.wait_for_dispatch_rounds(1)  # another round: nothing more is sent
    finally:
        second.stop()
    posts = [c.data for c in mock_slack.of("chat.postMessage") if "Benchmark" in shown(c.data)]
    assert len(posts) == 1
    assert posts[0]["channel"] == "CGENERAL"
    assert "is due now" in shown(posts[0])
    assert "Sent late" in shown(posts[0])
    (lead,) = [r for r in reminder_rows(database_url) if r.kind == "lead"]
    assert (lead.status, lead.late) == ("sent", True)


@pytest.mark.postgresql
def test_two_processes_on_one_postgresql_send_every_reminder_once(
    postgresql_databases, mock_slack, tmp_path
):
    database_url = postgresql_databases.create()
    try:
        run_two_processes(database_url, mock_slack, tmp_path)
    finally:
        postgresql_databases.drop(database_url)


def run_two_processes(database_url: str, mock_slack, tmp_path) -> None:
    mock_slack.delays["chat.postMessage"] = 0.25  # a slow Slack, so that both processes work
    options = {"database_url": database_url, "slack_api_url": mock_slack.api_url}
    bots = [BotProcess(log_path=tmp_path / f"bot{n}.log", **options).start() for n in range(2)]
    try:
        partners = {"UP1": "Limburg", "UP2": "NRW", "UP3": "Asturias"}
        for user, region in partners.items():
            command(bots[0], mock_slack, "/chemclust", f"join {region}", user_id=user)
        channels = [f"C{n:03d}" for n in range(8)]
        for number, channel in enumerate(channels):
            added = command(
                bots[number % 2],  # both processes take commands, too
                mock_slack,
                "/deadline",
                f'add "Data {channel}" in 2 seconds for Limburg, NRW, Asturias remind 0m',
                user_id=COORDINATOR_ID,
                channel_id=channel,
            )
            assert "New deadline" in shown(added)

        def all_sent() -> bool:
            rows = [r for r in reminder_rows(database_url) if r.kind in {"lead", "direct"}]
            return len(rows) == len(channels) * 4 and all(r.status == "sent" for r in rows)

        wait_until(all_sent, timeout=90, what="every reminder to be sent")
        wait_for_dispatch_rounds(bots, 1)  # another round in both: nothing is sent again
    finally:
        for bot in bots:
            bot.stop()
        logs = [bot.log() for bot in bots]

    posts = [c.data for c in mock_slack.of("chat.postMessage")]
    per_message = Counter(
        (post["channel"], post["text"])
        for post in posts
        if post["text"].startswith(("Deadline", "Limburg", "North", "Asturias"))
    )
    assert len(per_message) == len(channels) * 4, per_message
    assert set(per_message.values()) == {1}, [k for k, v in per_message.items() if v > 1]
    assert {channel for channel, _ in per_message} == set(channels) | {"DUP1", "DUP2", "DUP3"}
    rows = [r for r in reminder_rows(database_url) if r.kind in {"lead", "direct"}]
    workers = Counter(r.claimed_by.rsplit(":", 2)[1] for r in rows)  # the process id
    assert len(workers) == 2, (workers, logs)  # both processes really sent some
