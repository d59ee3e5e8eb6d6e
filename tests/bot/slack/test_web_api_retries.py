"""Slack Web API calls survive rate limits, server errors and dropped connections."""

from __future__ import annotations

import asyncio
import dataclasses
import socketserver
from typing import ClassVar

import pytest

from bot.settings import Settings
from bot.slack.app import web_client
from tests.support.serving import serve_in_background
from tests.support.slack_requests import BOT_TOKEN


def client_for(api_url: str):
    return web_client(
        Settings(database_url="sqlite://", slack_bot_token=BOT_TOKEN, slack_api_url=api_url)
    )


def test_rate_limit_is_retried_after_the_time_slack_asks_for(mock_slack):
    mock_slack.fail("chat.postMessage", 429, retry_after=1)
    answer = asyncio.run(client_for(mock_slack.api_url).chat_postMessage(channel="C1", text="hi"))
    assert answer["ok"] is True
    calls = mock_slack.of("chat.postMessage")
    assert len(calls) == 2
    assert calls[1].received_at - calls[0].received_at >= 1.0


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(mock_slack, status):
    mock_slack.fail("chat.postMessage", status, error="internal_error")
    answer = asyncio.run(client_for(mock_slack.api_url).chat_postMessage(channel="C1", text="hi"))
    assert answer["ok"] is True
    assert len(mock_slack.of("chat.postMessage")) == 2


class DropFirstConnection(socketserver.BaseRequestHandler):
    """Hangs up on the first connection without a word, then answers like Slack."""

    connections: ClassVar[list[int]] = []

    def handle(self) -> None:
        self.connections.append(1)
        if len(self.connections) == 1:
            return
        reader = self.request.makefile("rb")
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        reader.read(length)
        body = b'{"ok": true}'
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
            + body
        )


def test_a_dropped_connection_is_retried():
    DropFirstConnection.connections = []
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), DropFirstConnection) as server:
        serve_in_background(server)
        url = f"http://127.0.0.1:{server.server_address[1]}/api/"
        answer = asyncio.run(client_for(url).chat_postMessage(channel="C1", text="hi"))
        server.shutdown()
    assert answer["ok"] is True
    assert len(DropFirstConnection.connections) == 2


def test_the_app_hands_the_same_retrying_client_to_listeners(bot_settings):
    from bot.runtime import build_runtime
    from bot.slack.app import build_slack_app

    settings = dataclasses.replace(bot_settings)
    app = build_slack_app(settings, build_runtime(settings).core)
    kinds = {type(h).__name__ for h in app.client.retry_handlers}
    assert kinds == {
        "AsyncConnectionErrorRetryHandler",
        "AsyncRateLimitErrorRetryHandler",
        "AsyncServerErrorRetryHandler",
    }
