"""``chemclust-bot run`` asks Slack about its tokens before it serves, and stops promptly on
SIGTERM in every mode: real processes against the mock Web API and Socket Mode endpoint."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest

from tests.support.databases import SqliteDatabases
from tests.support.mock_slack import MockSlack
from tests.support.mock_socket_mode import MockSocketMode
from tests.support.processes import BotProcess, free_port
from tests.support.slack_requests import BOT_TOKEN

APP_TOKEN = "xapp-1-A0001-123-abcdef"


@pytest.fixture
def database(sqlite_databases: SqliteDatabases) -> Iterator[str]:
    """The checks and signals are about Slack and the process, not the database: SQLite
    only."""
    url = sqlite_databases.create()
    yield url
    sqlite_databases.drop(url)


@pytest.fixture
def socket_endpoint(mock_slack: MockSlack) -> Iterator[MockSocketMode]:
    endpoint = MockSocketMode()
    mock_slack.socket_mode_url = endpoint.url
    yield endpoint
    endpoint.close()


@pytest.fixture
def bot(database: str, mock_slack: MockSlack, tmp_path) -> Iterator[Callable[..., BotProcess]]:
    """Makes ``chemclust-bot run`` processes; whatever a failed test left running is stopped."""
    made: list[BotProcess] = []

    def make(**env: str) -> BotProcess:
        process = BotProcess(
            database_url=database,
            slack_api_url=mock_slack.api_url,
            log_path=tmp_path / f"bot{len(made)}.log",
            **env,
        )
        made.append(process)
        return process

    yield make
    for process in made:
        process.stop()


def exit_of(process: BotProcess) -> tuple[int, str]:
    return process.wait_for_exit(), process.log_path.read_text()


def assert_one_line(log: str, said: str) -> None:
    assert "Traceback" not in log, log
    lines = [line for line in log.splitlines() if line.startswith("chemclust-bot: ")]
    assert len(lines) == 1, log
    assert said in lines[0], log
    assert [line for line in log.splitlines() if " ERROR " in line] == [], log
    assert BOT_TOKEN not in log
    assert APP_TOKEN not in log


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# Tokens ---------------------------------------------------------------------------------------


def test_a_refused_bot_token_ends_the_start_with_one_line(bot, mock_slack):
    mock_slack.refused_tokens.add(BOT_TOKEN)
    process = bot().launch()
    code, log = exit_of(process)
    assert code == 2
    assert_one_line(log, "Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert [c.method for c in mock_slack.calls] == ["auth.test"]


def test_a_refused_app_token_ends_the_start_with_one_line(bot, mock_slack, socket_endpoint):
    mock_slack.refused_tokens.add(APP_TOKEN)
    process = bot(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="").launch()
    code, log = exit_of(process)
    assert code == 2
    assert_one_line(log, "Slack refused SLACK_APP_TOKEN (invalid_auth)")
    assert "App-Level Tokens" in log
    assert [c.method for c in mock_slack.calls] == ["auth.test", "apps.connections.open"]


def test_slack_out_of_reach_ends_the_start_with_one_line(bot, mock_slack):
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    process = bot(SLACK_API_URL=nowhere).launch()
    code, log = exit_of(process)
    assert code == 1
    assert_one_line(log, f"cannot reach Slack's Web API at {nowhere}")


def test_accepted_tokens_start_socket_mode_and_health_follows_the_connection(
    bot, mock_slack, socket_endpoint
):
    process = bot(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="").start()
    try:
        status, body = health(process.url)
        assert (status, body["socket_mode"], body["platforms"]["slack"]) == (
            200,
            "connected",
            "socket",
        )
    finally:
        assert process.terminate() == 0
    assert [c.method for c in mock_slack.calls][:2] == ["auth.test", "apps.connections.open"]


# Stopping -------------------------------------------------------------------------------------


def test_sigterm_stops_http_mode(bot, mock_slack):
    process = bot().start()
    assert process.terminate() == 0


def test_sigterm_stops_teams_only(bot, mock_slack):
    process = bot(
        SLACK_BOT_TOKEN="",
        SLACK_SIGNING_SECRET="",
        TEAMS_ALLOW_ANONYMOUS="1",
    ).start()
    assert process.terminate() == 0


def test_sigterm_stops_socket_mode(bot, mock_slack, socket_endpoint):
    process = bot(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="").start()
    assert process.terminate() == 0


def test_sigterm_stops_socket_mode_while_it_cannot_connect(bot, mock_slack):
    # Slack hands out a WebSocket address nobody answers at: the process keeps trying.
    mock_slack.socket_mode_url = f"ws://127.0.0.1:{free_port()}/link"
    process = bot(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="").launch()
    assert process.process is not None
    wait_until_healthy_or_unavailable(process)
    status, body = health(process.url)
    assert (status, body["socket_mode"]) == (503, "not connected")
    assert process.terminate() == 0
    log = process.log()
    assert "Traceback" not in log, log


def test_sigterm_stops_the_start_while_slack_is_asked_about_the_token(bot, mock_slack):
    mock_slack.delays["auth.test"] = 30.0  # Slack answering very slowly
    process = bot().launch()
    wait_for(lambda: mock_slack.of("auth.test"), "the token check")
    assert process.terminate() == 0


def wait_until_healthy_or_unavailable(process: BotProcess) -> None:
    """The web server answers (200 or 503): it is up, whatever Slack does."""
    assert process.process is not None

    def answering() -> bool:
        assert process.process.poll() is None, process.log()
        try:
            return health(process.url)[0] in (200, 503)
        except OSError:
            return False

    wait_for(answering, "the web server", timeout=60)
