"""The web edge: nothing unsigned costs more than the signature check, no body is unbounded,
and no request from outside gets a 500 or puts a traceback in the log.

Every request goes over HTTP to the real web process. The edge does no database work, so
these run on SQLite only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import quote

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.settings import Settings
from bot.slack.platform import SLACK_APP
from tests.support.bot_server import RunningBot, start_bot
from tests.support.databases import SqliteDatabases
from tests.support.processes import BotProcess
from tests.support.raw_http import send, signature
from tests.support.slack_requests import (
    answer_to_command,
    post,
    slash_command,
)
from tests.support.teams import activity, post_activity

FORM = "application/x-www-form-urlencoded"
# The bot's limit (bot.verification.MAX_BODY_BYTES), written out so that this file also runs
# against code that predates it.
MAX_BODY_BYTES = 1024 * 1024
NESTED_JSON = "[" * 10_000 + "]" * 10_000


@pytest.fixture
def database_url(sqlite_databases: SqliteDatabases) -> Iterator[str]:
    """SQLite only (this module's override of tests/conftest.py's fixture)."""
    url = sqlite_databases.create()
    yield url
    sqlite_databases.drop(url)


@pytest.fixture
def edge_settings(bot_settings: Settings) -> Settings:
    return replace(bot_settings, scheduler_enabled=False)


@pytest.fixture
def edge_bot(edge_settings: Settings) -> Iterator[RunningBot]:
    running = start_bot(edge_settings)
    yield running
    running.stop()


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing worse than a warning, and no traceback, was logged."""
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == [], [f"{r.name}: {r.getMessage()}" for r in loud]


# Slack's endpoint over HTTP -------------------------------------------------------------------


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "", "1e9", "123.5", "-1", "+{now}", "{now}.0", "{now}e0", "1_700_000_000", None],
)
def test_a_malformed_timestamp_header_gets_401_and_no_slack_call(
    edge_bot, mock_slack, caplog, timestamp
):
    body = slash_command("/benchmark", "Limburg")
    headers = [("Content-Type", FORM)]
    if timestamp is not None:
        value = timestamp.format(now=int(time.time()))
        headers += [
            ("X-Slack-Request-Timestamp", value),
            ("X-Slack-Signature", signature(value, body)),
        ]
    answer = send(edge_bot.slack_url, body.encode(), headers)
    assert (answer.status, answer.text) == (401, '{"error": "invalid request"}')
    assert mock_slack.calls == []
    assert_quiet(caplog)


def test_a_repeated_timestamp_or_signature_header_gets_401(edge_bot, mock_slack, caplog):
    body = slash_command("/benchmark", "Limburg")
    now = str(int(time.time()))
    good = [("X-Slack-Request-Timestamp", now), ("X-Slack-Signature", signature(now, body))]
    for repeated in good:
        answer = send(edge_bot.slack_url, body.encode(), [("Content-Type", FORM), *good, repeated])
        assert answer.status == 401
    assert mock_slack.calls == []
    assert_quiet(caplog)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", NESTED_JSON),
        (FORM, "payload=" + quote(NESTED_JSON)),
        ("application/json", '{"type": "event_callback", "event": ' * 3000),
        (FORM, "command=%2Fbenchmark&text=" + "%" * 5000),
    ],
    ids=["nested-json", "nested-payload", "broken-json", "broken-form"],
)
def test_hostile_bodies_without_a_valid_signature_get_401(
    edge_bot, mock_slack, caplog, content_type, body
):
    now = str(int(time.time()))
    for headers in (
        [("Content-Type", content_type)],
        [
            ("Content-Type", content_type),
            ("X-Slack-Request-Timestamp", now),
            ("X-Slack-Signature", signature(now, body, secret="not-the-signing-secret")),
        ],
    ):
        answer = send(edge_bot.slack_url, body.encode(), headers)
        assert answer.status == 401
    assert mock_slack.calls == []
    assert_quiet(caplog)


def test_a_body_that_is_not_utf8_gets_401(edge_bot, mock_slack, caplog):
    body = b"command=%2Fbenchmark&text=\xff\xfe"
    now = str(int(time.time()))
    headers = [
        ("Content-Type", FORM),
        ("X-Slack-Request-Timestamp", now),
        ("X-Slack-Signature", signature(now, body)),
    ]
    assert send(edge_bot.slack_url, body, headers).status == 401
    assert mock_slack.calls == []
    assert_quiet(caplog)


def test_a_body_over_the_limit_gets_413_even_signed(edge_bot, mock_slack, caplog):
    body = "command=%2Fbenchmark&text=" + "a" * MAX_BODY_BYTES
    now = str(int(time.time()))
    signed = [
        ("Content-Type", FORM),
        ("X-Slack-Request-Timestamp", now),
        ("X-Slack-Signature", signature(now, body)),
    ]
    announced = send(edge_bot.slack_url, body.encode(), signed)
    chunks = (body.encode()[i : i + 65536] for i in range(0, len(body), 65536))
    streamed = send(edge_bot.slack_url, chunks, signed)  # no Content-Length to trust
    assert (announced.status, streamed.status) == (413, 413)
    assert mock_slack.calls == []
    assert_quiet(caplog)


def test_a_signed_request_still_works_and_bolt_still_verifies(edge_bot, mock_slack):
    answer = answer_to_command(edge_bot.slack_url, mock_slack, "/chemclust", "help")
    assert "/benchmark" in json.dumps(answer)
    # The second line: Bolt's own verification is still on and refuses an unsigned request.
    slack_app = edge_bot._server.runner.app[SLACK_APP]
    unsigned = AsyncBoltRequest(body=slash_command("/benchmark", ""), headers={})
    dispatched = asyncio.run_coroutine_threadsafe(
        slack_app.async_dispatch(unsigned), edge_bot._loop
    )
    assert dispatched.result(10).status == 401


# The other routes -----------------------------------------------------------------------------


def test_teams_route_without_teams_refuses_big_and_broken_bodies(edge_bot, caplog):
    url = edge_bot.url + "/api/messages"
    big = send(url, b"{" + b" " * MAX_BODY_BYTES + b"}", [("Content-Type", "application/json")])
    nested = post(url, NESTED_JSON, {"content-type": "application/json"})
    assert (big.status, nested.status) == (413, 401)
    assert_quiet(caplog)


@pytest.mark.parametrize(
    "body",
    ["[]", "null", '"text"', "42", '{"type": 5}', '{"type": []}', NESTED_JSON, "{", "\xff"],
    ids=["list", "null", "string", "number", "bad-type", "list-type", "nested", "cut", "bytes"],
)
def test_anonymous_teams_answers_400_to_what_is_no_activity(edge_settings, caplog, body):
    running = start_bot(replace(edge_settings, teams_allow_anonymous=True))
    try:
        answer = post(running.url + "/api/messages", body, {"content-type": "application/json"})
        still_works = post_activity(
            running.url + "/api/messages",
            activity("chemclust help", service_url="http://127.0.0.1:9/", expect_replies=True),
        )
    finally:
        running.stop()
    assert answer.status == 400, answer.text
    assert still_works.status == 200
    bot_errors = [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= 40]
    assert bot_errors == []


def test_anonymous_teams_refuses_a_body_over_the_limit(edge_settings):
    running = start_bot(replace(edge_settings, teams_allow_anonymous=True))
    try:
        headers = [("Content-Type", "application/json")]
        body = json.dumps({"type": "message", "text": "a" * MAX_BODY_BYTES}).encode()
        answer = send(running.url + "/api/messages", body, headers)
    finally:
        running.stop()
    assert answer.status == 413


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/short.ics",
        "/calendar/" + "a" * 200 + ".ics",
        "/calendar/%2e%2e%2fhealthz.ics",
        "/calendar/abcdefgh%00.ics",
        "/calendar/abcdefghij",
        "/healthz/../calendar/abcdefgh.ics",
        "/slack/events/../../etc/passwd",
        "/calendar/event/1-" + "0" * 32 + ".ics",
        "/calendar/event/" + "9" * 12 + "-" + "f" * 32 + ".ics",
        "/calendar/event/" + "9" * 40 + "-" + "f" * 32 + ".ics",
        "/calendar/event/1-ZZ.ics",
    ],
)
def test_bad_paths_get_a_plain_404(edge_bot, caplog, path):
    answer = send(edge_bot.url + path, b"", [], method="GET")
    assert answer.status in (404, 405)
    assert_quiet(caplog)


def test_hostile_requests_leave_one_line_each_and_no_traceback_in_the_log(
    database_url, mock_slack, tmp_path
):
    bot = BotProcess(
        database_url=database_url,
        slack_api_url=mock_slack.api_url,
        log_path=tmp_path / "bot.log",
        TEAMS_ALLOW_ANONYMOUS="1",
    ).start()
    try:
        long_line = send(f"{bot.url}/healthz?x={'a' * 10_000}", b"", [], method="GET")
        long_header = send(bot.url + "/healthz", b"", [("X-Long", "a" * 10_000)], method="GET")
        not_an_activity = post(
            bot.url + "/api/messages", "[]", {"content-type": "application/json"}
        )
        unsigned = post(bot.slack_url, NESTED_JSON, {"content-type": "application/json"})
        stale = send(
            bot.slack_url,
            b"command=%2Fbenchmark",
            [("X-Slack-Request-Timestamp", "abc"), ("X-Slack-Signature", "v0=" + "0" * 64)],
        )
    finally:
        assert bot.terminate() == 0
    statuses = [r.status for r in (long_line, long_header, not_an_activity, unsigned, stale)]
    assert statuses == [400, 400, 400, 401, 401]
    log = bot.log_path.read_text()
    assert "Traceback" not in log, log
    assert " ERROR " not in log, log
    assert "LineTooLong" in log  # said, in one line
    assert mock_slack.calls == [c for c in mock_slack.calls if c.method == "auth.test"]
