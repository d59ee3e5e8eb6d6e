"""SIGTERM on real ``chemclust-bot run`` processes: a command in flight still gets its answer,
and reminder claims are handed to another process at once, each reminder sent once."""

from __future__ import annotations

import signal
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from storage.db import is_sqlite, make_engine
from tests.bot.test_processes import command, due_now, reminder_rows, shown, wait_until
from tests.conftest import COORDINATOR_ID
from tests.support.processes import BotProcess
from tests.support.slack_requests import post_signed, slash_command

COMMAND_SECONDS = 3.0


@contextmanager
def writes_held(database_url: str, table: str) -> Iterator[None]:
    """Another client holds a write lock: writes to ``table`` wait until the block ends (SQLite:
    every write waits; reads go on in both databases)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            if is_sqlite(database_url):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.begin()
                connection.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


def refuses_connections(url: str) -> bool:
    """No new connection is served (refused, or reset as the listening socket closes)."""
    try:
        urllib.request.urlopen(url + "/healthz", timeout=2).close()
    except urllib.error.URLError as error:
        return isinstance(error.reason, ConnectionError)
    except ConnectionError:
        return True
    except TimeoutError:  # taken in as the socket closed, never answered: look again
        return False
    return False


def test_sigterm_during_a_three_second_command_still_answers_it(database_url, mock_slack, tmp_path):
    bot = BotProcess(
        database_url=database_url, slack_api_url=mock_slack.api_url, log_path=tmp_path / "b.log"
    ).start()
    try:
        answers = []
        with writes_held(database_url, "member"):
            started = time.monotonic()
            request = threading.Thread(
                target=lambda: answers.append(
                    post_signed(
                        bot.slack_url,
                        slash_command(
                            "/chemclust",
                            "join Limburg",
                            response_url=mock_slack.webhook_url("join"),
                        ),
                    )
                )
            )
            request.start()
            mock_slack.wait_for("users.info", timeout=30)  # the command is being handled
            assert bot.process is not None
            bot.process.send_signal(signal.SIGTERM)  # as a deploy does
            wait_until(lambda: refuses_connections(bot.url), timeout=10, what="the port closed")
            assert bot.process.poll() is None  # still finishing the command
            time.sleep(max(0.0, COMMAND_SECONDS - (time.monotonic() - started)))
        request.join(timeout=30)
        assert bot.wait_for_exit(within=30) == 0
    finally:
        bot.stop()
    (acknowledged,) = answers
    assert acknowledged.status == 200
    assert acknowledged.json()["text"] == "Working on it…"
    (answer,) = mock_slack.of("/webhook/join")
    assert "Limburg" in shown(answer.data)
    assert "Traceback" not in bot.log()


@pytest.mark.postgresql
def test_sigterm_while_reminders_are_claimed_hands_them_over_once_each(
    postgresql_databases, mock_slack, tmp_path
):
    database_url = postgresql_databases.create()
    try:
        hand_over(database_url, mock_slack, tmp_path)
    finally:
        postgresql_databases.drop(database_url)


def leads(database_url: str) -> list:
    """The deadlines' "due now" reminders (their daily chases come later)."""
    return [r for r in reminder_rows(database_url) if r.kind == "lead"]


# How soon the second process sends what the first released: at its first rounds, where
# without the hand-over it would wait out the first process's two-minute claim lease.
HANDED_OVER_WITHIN = 6.0


def hand_over(database_url: str, mock_slack, tmp_path) -> None:
    options = {"database_url": database_url, "slack_api_url": mock_slack.api_url}
    first = BotProcess(log_path=tmp_path / "first.log", CHEMCLUST_STOP_SECONDS="1", **options)
    first.start()
    channels = ["C001", "C002", "C003"]
    try:
        for channel in channels:
            command(
                first,
                mock_slack,
                "/deadline",
                f'add "Data {channel}" in 1 hour remind 0m',
                user_id=COORDINATOR_ID,
                channel_id=channel,
            )
        # Answered at once, or (on a loaded machine) acknowledged first and done soon after.
        wait_until(lambda: len(leads(database_url)) == 3, timeout=30, what="three deadlines")
        # Slack takes the first reminder but its answer never comes back: the first process
        # holds that claim (with a two-minute lease) when it is told to stop.
        mock_slack.holds.hold("chat.postMessage")
        due_now(database_url)
        mock_slack.holds.wait_held("chat.postMessage", timeout=60)
        assert first.terminate(within=20) == 0
    finally:
        first.stop()
        mock_slack.holds.release("chat.postMessage")
    assert "claim(s) released" in first.log()
    # Released, not recorded: the posts' outcome is unknown. The dispatcher posts a batch to
    # its conversations at once, so every channel's post may be the one in flight.
    held = [r for r in leads(database_url) if r.status == "sending"]
    assert 1 <= len(held) <= len(channels)

    second = BotProcess(log_path=tmp_path / "second.log", **options).start()
    ready_at = time.monotonic()
    try:
        wait_until(
            lambda: all(r.status == "sent" for r in leads(database_url)),
            timeout=60,
            what="every reminder sent",
        )
        took = time.monotonic() - ready_at
        second.wait_for_dispatch_rounds(1)  # one more round: nothing is sent again
    finally:
        second.stop()
    assert took <= HANDED_OVER_WITHIN, (took, second.log())
    posts = Counter(c.data["channel"] for c in mock_slack.of("chat.postMessage"))
    assert posts == dict.fromkeys(channels, 1)
    now = {r.id: r for r in leads(database_url)}
    for before in held:
        taken_over = now[before.id]
        assert taken_over.claimed_by != before.claimed_by
        assert taken_over.message_ref  # found in the channel's history, not posted again
