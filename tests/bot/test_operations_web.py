"""/metrics and /readyz on the real web process: counts rise with signed commands and sent
reminders, nothing names a person or repeats a text, readiness follows the database, the
token and a stop."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.settings import Settings
from tests.conftest import COORDINATOR_ID
from tests.support.bot_server import DISPATCH_SECONDS, RunningBot, start_bot
from tests.support.processes import free_port
from tests.support.slack_requests import BOT_TOKEN, post_signed, slash_command


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def samples(url: str) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics by (name, sorted labels)."""
    status, text = get(url + "/metrics")
    assert status == 200, text
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metrics_bot(bot_settings: Settings) -> Iterator[RunningBot]:
    running = start_bot(
        replace(bot_settings, metrics_enabled=True, dispatch_seconds=DISPATCH_SECONDS)
    )
    yield running
    running.stop()


def rises(url: str, name: str, above: float, **labels: str) -> dict:
    """The samples once ``name`` is above ``above``: a command acknowledged before it finished
    (past the 2-second budget on a loaded machine) is counted when it finishes."""
    deadline = time.monotonic() + 30
    while value(found := samples(url), name, **labels) <= above:
        assert time.monotonic() < deadline, f"{name}{labels} did not rise above {above}"
        time.sleep(0.1)
    return found


def test_a_signed_benchmark_raises_its_count_and_latency(metrics_bot, mock_slack):
    before = samples(metrics_bot.url)
    answer = post_signed(metrics_bot.slack_url, slash_command("/benchmark", "Limburg"))
    assert answer.status == 200
    ok = {"command": "benchmark", "outcome": "ok"}
    counted = value(before, "chemclust_commands_total", **ok)
    after = rises(metrics_bot.url, "chemclust_commands_total", counted, **ok)
    assert value(after, "chemclust_commands_total", **ok) == counted + 1
    latency = {"command": "benchmark"}
    assert value(after, "chemclust_command_seconds_count", **latency) == (
        value(before, "chemclust_command_seconds_count", **latency) + 1
    )
    assert value(after, "chemclust_command_seconds_sum", **latency) > value(
        before, "chemclust_command_seconds_sum", **latency
    )
    refused = {"command": "benchmark", "outcome": "refused"}
    too_many = "Limburg vs NRW vs Atlantis <@U123>"
    post_signed(metrics_bot.slack_url, slash_command("/benchmark", too_many))
    rises(
        metrics_bot.url,
        "chemclust_commands_total",
        value(after, "chemclust_commands_total", **refused),
        **refused,
    )
    _, text = get(metrics_bot.url + "/metrics")
    for private in ("Limburg", "Atlantis", "UPARTNER", "U123", BOT_TOKEN):
        assert private not in text


def test_a_delivered_reminder_is_counted_as_sent(metrics_bot, mock_slack):
    before = value(samples(metrics_bot.url), "chemclust_reminders_total", result="sent")
    added = post_signed(
        metrics_bot.slack_url,
        slash_command(
            "/deadline", 'add "Data 2012" in 2 seconds remind 0m', user_id=COORDINATOR_ID
        ),
    )
    assert added.status == 200  # its answer, or "Working on it…" on a loaded machine
    deadline = time.monotonic() + 30
    while not [c for c in mock_slack.of("chat.postMessage") if "Data 2012" in c.raw.decode()]:
        assert time.monotonic() < deadline, "the reminder was not sent"
        time.sleep(0.1)
    while value(samples(metrics_bot.url), "chemclust_reminders_total", result="sent") <= before:
        assert time.monotonic() < deadline, "the sent reminder was not counted"
        time.sleep(0.1)
    found = samples(metrics_bot.url)
    assert value(found, "chemclust_reminders_pending") == 0
    assert value(found, "chemclust_reminder_oldest_due_seconds") == 0


def test_metrics_are_off_unless_asked_for(slack_bot):
    assert get(slack_bot.url + "/metrics")[0] == 404


def test_metrics_port_serves_them_apart(bot_settings):
    port = free_port()
    running = start_bot(replace(bot_settings, metrics_port=port))
    try:
        assert get(running.url + "/metrics")[0] == 404
        status, text = get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert "chemclust_commands_total" in text or "chemclust_commands" in text
    finally:
        running.stop()


def readiness(url: str) -> tuple[int, dict]:
    status, text = get(url + "/readyz")
    return status, json.loads(text)


def test_ready_when_database_migrations_and_token_answer(slack_bot):
    status, body = readiness(slack_bot.url)
    assert (status, body["status"]) == (200, "ready"), body
    assert (body["database"], body["migrations"], body["slack"]) == ("ok", "done", "ok")


def test_not_ready_with_a_revoked_token(slack_bot, mock_slack):
    mock_slack.revoked_tokens.add(BOT_TOKEN)
    status, body = readiness(slack_bot.url)
    assert status == 503
    assert body["slack"] == "token refused (token_revoked)"
    assert get(slack_bot.url + "/healthz")[0] == 200  # alive all the same


def test_not_ready_once_stopping(slack_bot):
    slack_bot.runtime.stopping.set()
    status, body = readiness(slack_bot.url)
    assert (status, body) == (503, {"status": "stopping"})
