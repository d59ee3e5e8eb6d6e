"""Requests as Slack sends them: form-encoded, signed with the app's signing secret."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from slack_sdk.signature import SignatureVerifier

from bot.slack.commands import WORKING

if TYPE_CHECKING:
    from tests.support.mock_slack import MockSlack

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-1234-test-token"


def slash_command(
    command: str,
    text: str = "",
    *,
    user_id: str = "UPARTNER",
    user_name: str = "partner",
    team_id: str = "T0001",
    channel_id: str = "CGENERAL",
    response_url: str = "",
    trigger_id: str = "1234.5678.trigger",
    **extra: str,
) -> str:
    """``extra``: more fields as Slack sends them in some cases (``enterprise_id``)."""
    return urlencode(
        {
            "team_id": team_id,
            "team_domain": "chemclust",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        | extra
    )


def interaction(payload: dict[str, Any]) -> str:
    return "payload=" + quote(json.dumps(payload))


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, content_type: str
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.text)


def post(url: str, body: str, headers: dict[str, str]) -> Response:
    return send(urllib.request.Request(url, data=body.encode(), headers=headers, method="POST"))


def send(request: urllib.request.Request) -> Response:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
            return Response(answer.status, dict(answer.headers), text, time.monotonic() - started)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return Response(error.code, dict(error.headers), text, time.monotonic() - started)


def post_signed(
    url: str, body: str, *, content_type: str = "application/x-www-form-urlencoded", **signing: Any
) -> Response:
    return post(url, body, signed_headers(body, content_type=content_type, **signing))


def block_action(button: dict[str, Any], *, response_url: str, user_id: str = "UPARTNER") -> str:
    """A click on ``button`` (a rendered Block Kit button) as Slack posts it."""
    return interaction(
        {
            "type": "block_actions",
            "user": {"id": user_id, "username": "partner", "team_id": "T0001"},
            "team": {"id": "T0001", "domain": "chemclust"},
            "channel": {"id": "CGENERAL", "name": "general"},
            "api_app_id": "A0001",
            "trigger_id": "1.2.3",
            "response_url": response_url,
            "actions": [{**button, "block_id": "b1", "action_ts": "1700000000.1"}],
        }
    )


def view_submission(
    view: dict[str, Any], values: dict[str, str], *, user_id: str = "UPARTNER"
) -> str:
    """A modal submitted as Slack sends it: ``values`` typed or chosen per input block."""
    state = {}
    for block in view["blocks"]:
        value = values.get(block["block_id"], "")
        if block["element"]["type"] == "static_select":
            chosen = {"value": value} if value else None
            element = {"type": "static_select", "selected_option": chosen}
        else:
            element = {"type": "plain_text_input", "value": value or None}
        state[block["block_id"]] = {"value": element}
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": user_id, "username": "partner", "team_id": "T0001"},
            "api_app_id": "A0001",
            "trigger_id": "9.9.9",
            "view": {**view, "id": "V1", "state": {"values": state}},
        }
    )


_hooks = itertools.count(1)


def answer_to_command(url: str, mock: MockSlack, name: str, text: str, **options: Any) -> dict:
    """The answer to a signed slash command: in the acknowledgement, or, when the bot took
    longer than an acknowledgement may wait (a busy machine) and said "Working on it…",
    what it sent to ``response_url`` afterwards."""
    hook = f"answer-{next(_hooks)}"
    options.setdefault("response_url", mock.webhook_url(hook))
    answer = post_signed(url, slash_command(name, text, **options))
    assert answer.status == 200, answer.text
    payload = answer.json() if answer.text.startswith("{") else {"text": answer.text}
    return followed(payload, mock, options["response_url"])


def followed(acknowledged: dict, mock: MockSlack, response_url: str) -> dict:
    """The message Slack shows for an acknowledgement: the acknowledged message itself, or,
    when the bot took longer than an acknowledgement may wait (a busy machine, a process's
    first scoring) and said "Working on it…", what it sent to ``response_url`` afterwards."""
    if acknowledged.get("text") != WORKING:
        return acknowledged
    return mock.wait_for(response_url.removeprefix(mock.root), timeout=30)[0].data
