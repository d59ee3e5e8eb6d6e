"""Socket Mode: the same commands arrive over a WebSocket instead of HTTP."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl

import pytest
from slack_sdk.models.blocks import Block

from tests.support.bot_server import start_bot
from tests.support.mock_socket_mode import MockSocketMode
from tests.support.slack_requests import followed, slash_command


@pytest.fixture
def socket_endpoint(mock_slack):
    endpoint = MockSocketMode()
    mock_slack.socket_mode_url = endpoint.url
    yield endpoint
    endpoint.close()


def test_slash_command_over_socket_mode_is_answered_in_the_ack_or_right_after(
    bot_settings, socket_endpoint, mock_slack
):
    settings = dataclasses.replace(
        bot_settings, slack_app_token="xapp-1-A1-test", slack_signing_secret=""
    )
    running = start_bot(settings)
    try:
        hook = mock_slack.webhook_url("tv")
        line = slash_command("/benchmark", "Tees Valley", response_url=hook)
        socket_endpoint.send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "payload": dict(parse_qsl(line)),
                "accepts_response_payload": True,
            }
        )
        answer = followed(socket_endpoint.wait_for_ack("env-1")["payload"], mock_slack, hook)
    finally:
        running.stop()
    assert answer["response_type"] == "in_channel"
    for block in answer["blocks"]:
        Block.parse(block).to_dict()
    assert "Tees Valley" in answer["blocks"][0]["text"]["text"]


def test_socket_mode_without_signing_secret_serves_no_http_slack_endpoint(
    bot_settings, socket_endpoint
):
    import urllib.error
    import urllib.request

    settings = dataclasses.replace(
        bot_settings, slack_app_token="xapp-1-A1-test", slack_signing_secret=""
    )
    running = start_bot(settings)
    try:
        request = urllib.request.Request(running.slack_url, data=b"x=1", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        with urllib.request.urlopen(running.url + "/healthz", timeout=5) as health:
            body = health.read().decode()
    finally:
        running.stop()
    assert refused.value.code in (404, 405)
    assert '"slack": "socket"' in body
