"""Teams as the tests see it: activities as Teams posts them, and a stub Bot Connector.

The stub stands at the activities' ``serviceUrl`` and records what the bot sends there
(replies to a message, proactive messages), answering like the Bot Connector.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.serving import serve_in_background
from tests.support.slack_requests import Response, post

BOT_ID = "28:11111111-2222-3333-4444-555555555555"
BOT_NAME = "ChemClust"
TENANT_ID = "tenant-0001"
USER_AAD_ID = "00000000-0000-0000-0000-0000000000a1"
USER_ID = "29:1a2b-user"
CHANNEL_CONVERSATION = "19:abc123@thread.tacv2;messageid=1700000000001"
PERSONAL_CONVERSATION = "a:1personal-chat-with-ada"
CARD = "application/vnd.microsoft.card.adaptive"

_ids = itertools.count(1700000000100)


def activity(
    text: str | None = None,
    *,
    service_url: str,
    conversation: str = CHANNEL_CONVERSATION,
    conversation_type: str = "channel",
    mention: bool = True,
    activity_id: str | None = None,
    expect_replies: bool = False,
    value: dict[str, Any] | None = None,
    user_aad_id: str = USER_AAD_ID,
    user_name: str = "Ada Lovelace",
    tenant: str = TENANT_ID,
    kind: str = "message",
    **extra: Any,
) -> dict[str, Any]:
    """A Teams activity; channel messages @mention the bot as Teams writes it."""
    body: dict[str, Any] = {
        "type": kind,
        "id": activity_id or str(next(_ids)),
        "channelId": "msteams",
        "serviceUrl": service_url,
        # Teams stamps an activity when it is sent; the bot takes it as the time of an update.
        "timestamp": _now_as_teams_writes_it(),
        "localTimezone": "Europe/Amsterdam",
        "locale": "en-US",
        "from": {"id": USER_ID, "name": user_name, "aadObjectId": user_aad_id},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": {
            "id": conversation,
            "conversationType": conversation_type,
            "tenantId": tenant,
            "isGroup": conversation_type != "personal",
        },
        "channelData": {"tenant": {"id": tenant}},
    }
    if text is not None:
        mentioned = conversation_type != "personal" and mention
        body["text"] = f"<at>{BOT_NAME}</at> {text}" if mentioned else text
        body["textFormat"] = "plain"
        if mentioned:
            body["entities"] = [
                {
                    "type": "mention",
                    "text": f"<at>{BOT_NAME}</at>",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                }
            ]
    if value is not None:
        body["value"] = value
    if expect_replies:
        body["deliveryMode"] = "expectReplies"
    body.update(extra)
    return body


def _now_as_teams_writes_it() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def post_activity(url: str, body: dict[str, Any], *, token: str | None = None) -> Response:
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return post(url, json.dumps(body), headers)


def cards(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Adaptive Cards among the activities' attachments."""
    return [
        a["content"]
        for act in activities
        for a in act.get("attachments") or []
        if a.get("contentType") == CARD
    ]


def card_text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def card_buttons(card: dict[str, Any], kind: str, what: str) -> dict[str, Any]:
    """The card's buttons of one ``kind`` ("Action.Submit", "Action.OpenUrl"): title -> the
    button's ``what`` ("data", "url")."""
    return {
        action["title"]: action[what]
        for element in card["body"]
        if element["type"] == "ActionSet"
        for action in element["actions"]
        if action["type"] == kind
    }


@dataclass
class Sent:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 200  # what the stub answered; refused attempts are recorded too
    received_at: float = 0.0  # time.monotonic()

    @property
    def accepted(self) -> bool:
        return self.status < 300

    @property
    def conversation_id(self) -> str | None:
        return (self.body.get("conversation") or {}).get("id")


@dataclass
class Failure:
    status: int
    retry_after: str | None = None
    body: dict[str, Any] | None = None


class StubConnector:
    """The Bot Connector at ``service_url``: records POSTed activities, answers with an id.

    ``fail(...)`` makes the next POSTs fail like the real connector (429 with Retry-After,
    403 when the bot was removed, 5xx); ``delay`` slows every answer down.
    """

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.delay = 0.0
        # The conversation roster: Bot Framework id ("29:…") -> the member as Teams returns it.
        self.members: dict[str, dict[str, Any]] = {}
        self._failures: list[Failure] = []
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._held_port: socket.socket | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        # A client that gave up waiting (a timeout test) is no error worth a traceback.
        self.server.handle_error = lambda _request, _address: None  # type: ignore[method-assign]
        self.thread = serve_in_background(self.server)

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._held_port is not None:
            self._held_port.close()

    def go_away(self) -> None:
        """Stop answering, as a connector out of reach: connections to ``service_url`` are
        refused. Its port stays bound (not listening) until ``close``: freed, another test's
        server running alongside could take it and answer in its place."""
        port = self.server.server_address[1]
        self.server.shutdown()
        self.server.server_close()
        held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        held.bind(("127.0.0.1", port))
        self._held_port = held

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        with self._changed:
            self._failures += [Failure(status, retry_after, body)] * times

    def take_failure(self) -> Failure | None:
        with self._changed:
            return self._failures.pop(0) if self._failures else None

    def record(self, sent: Sent) -> str:
        with self._changed:
            self.sent.append(sent)
            self._changed.notify_all()
            return f"reply-{next(self._ids)}"

    def messages(self) -> list[Sent]:
        """The messages the stub accepted (refused attempts are in ``sent`` only)."""
        with self._changed:
            return self._accepted()

    def _accepted(self) -> list[Sent]:
        return [s for s in self.sent if s.body.get("type") == "message" and s.accepted]

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self._accepted()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} message(s), saw {[s.path for s in self.sent]}"
                    )
                self._changed.wait(remaining)
            return found


def _handler(stub: StubConnector) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw or b"{}")
            if stub.delay:
                time.sleep(stub.delay)
            failure = stub.take_failure()
            status = failure.status if failure is not None else 200
            headers = {k.lower(): v for k, v in self.headers.items()}
            new_id = stub.record(Sent(self.path, headers, body, status, time.monotonic()))
            if failure is not None:
                answer = json.dumps(
                    failure.body or {"error": {"code": "Failed", "message": "stub failure"}}
                ).encode()
            else:
                answer = json.dumps({"id": new_id}).encode()
            self.send_response(status)
            if failure is not None and failure.retry_after is not None:
                self.send_header("Retry-After", failure.retry_after)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self) -> None:
            # GET /v3/conversations/{conversation}/members/{member}: one member of the roster.
            member_id = self.path.rstrip("/").rpartition("/members/")[2]
            member = stub.members.get(member_id)
            status = 200 if member is not None else 404
            answer = json.dumps(member or {"error": {"code": "MemberNotFound"}}).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
