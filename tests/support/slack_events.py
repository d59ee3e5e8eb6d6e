"""Events API deliveries as Slack sends them: JSON bodies, signed, with retry headers."""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any

from commands.core import Core
from commands.messages import MessageOutcome
from tests.support.mock_slack import BOT_USER_ID, TEAM_ID
from tests.support.slack_requests import Response, interaction, post, signed_headers

_ids = itertools.count(1)


def new_ts() -> str:
    """A message ts near now (so "the last 30 days" includes it), unique in the test run."""
    return f"{int(time.time())}.{next(_ids):06d}"


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }


def message(
    text: str,
    *,
    user: str = "UPARTNER",
    channel: str = "CGENERAL",
    ts: str | None = None,
    thread_ts: str | None = None,
    event_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    ts = ts or new_ts()
    event = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, event_id=event_id)


def edited(
    original: dict[str, Any], new_text: str, *, event_id: str | None = None
) -> dict[str, Any]:
    before = original["event"]
    now = new_ts()
    changed = {**before, "text": new_text, "edited": {"user": before["user"], "ts": now}}
    return event_callback(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": before["channel"],
            "hidden": True,
            "message": changed,
            "previous_message": before,
            "event_ts": now,
            "ts": now,
            "channel_type": "channel",
        },
        event_id=event_id,
    )


def deleted(original: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    before = original["event"]
    now = new_ts()
    return event_callback(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": before["channel"],
            "hidden": True,
            "deleted_ts": before["ts"],
            "previous_message": before,
            "event_ts": now,
            "ts": now,
            "channel_type": "channel",
        },
        event_id=event_id,
    )


def mention(text: str, *, user: str = "UPARTNER", channel: str = "CGENERAL") -> dict[str, Any]:
    ts = new_ts()
    return event_callback(
        {
            "type": "app_mention",
            "channel": channel,
            "user": user,
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts,
            "event_ts": ts,
        }
    )


def share_in_dm(
    slack_bot: Any,
    mock_slack: Any,
    *,
    user: str,
    name: str,
    content: bytes,
    text: str = "",
    declared_size: int | None = None,
) -> None:
    """``user`` sends the bot a file in a direct message; ``declared_size`` is the size Slack
    reports for it, when it should differ from the bytes the file really has."""
    file_object = mock_slack.share_file(
        f"F{abs(hash((user, name, content))) % 10**8}", name, content
    )
    if declared_size is not None:
        file_object["size"] = declared_size
    ts = new_ts()
    event = {
        "type": "message",
        "subtype": "file_share",
        "text": text,
        "user": user,
        "channel": f"D{user}",
        "channel_type": "im",
        "ts": ts,
        "event_ts": ts,
        "files": [file_object],
    }
    answer = deliver(slack_bot.slack_url, event_callback(event))
    assert answer.status == 200


def deliver(url: str, body: dict[str, Any], *, retry: int | None = None) -> Response:
    """POST a signed event; ``retry`` adds Slack's retry headers (same body, same event_id)."""
    raw = json.dumps(body)
    headers = signed_headers(raw, content_type="application/json")
    if retry is not None:
        headers["x-slack-retry-num"] = str(retry)
        headers["x-slack-retry-reason"] = "http_timeout"
    return post(url, raw, headers)


def message_shortcut(
    original: dict[str, Any], *, user: str = "UPARTNER", callback_id: str = "pilot.log_message"
) -> str:
    event = original["event"]
    return interaction(
        {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "response_url": "",
            "team": {"id": TEAM_ID, "domain": "chemclust"},
            "channel": {"id": event["channel"], "name": "general"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
            "message_ts": event["ts"],
            "message": {
                "type": "message",
                "user": event["user"],
                "text": event["text"],
                "ts": event["ts"],
            },
        }
    )


class HandledMessages:
    """Counts messages the bot's core has finished handling, so tests can wait for them.

    Deliveries that end in no action leave no trace at Slack's mock; waiting here is how a
    test knows they were really processed (and ignored) before asserting that nothing happened.
    """

    def __init__(self, core: Core):
        self.outcomes: list[MessageOutcome] = []
        self._changed = threading.Condition()
        original = core.handle_message

        def handle(identity, chat):
            outcome = original(identity, chat)
            with self._changed:
                self.outcomes.append(outcome)
                self._changed.notify_all()
            return outcome

        core.handle_message = handle  # type: ignore[method-assign]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[MessageOutcome]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.outcomes) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} handled messages, saw {self.outcomes}")
                self._changed.wait(remaining)
            return list(self.outcomes)
