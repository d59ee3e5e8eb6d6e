"""A local stand-in for Slack's Web API over real HTTP, recording every call.

Answers like Slack for the methods the bot uses, checks the bot token, serves the upload
URLs of ``files_upload_v2``, receives ``response_url`` posts under ``/webhook/``, and can be
told to fail a method (429 with Retry-After, 500) a number of times. Posted messages are
kept per conversation (``history``) and read back by ``conversations.history``; an answer can
be held back after Slack did the work (``holds``), as when the bot dies waiting for it.
Shared files can be served in small pieces with pauses, the way they arrive over a real
network.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs

from tests.support.mock_slack_history import Holds, MessageHistory
from tests.support.mock_slack_oauth import OAuthSide
from tests.support.serving import serve_in_background

BOT_USER_ID = "UBOT"
TEAM_ID = "T0001"


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    raw: bytes
    received_at: float

    @property
    def method(self) -> str:
        return self.path.removeprefix("/api/").split("?")[0]

    @property
    def data(self) -> dict[str, Any]:
        """The arguments as a dict, from the query string and the body, whatever its encoding."""
        query = self.path.partition("?")[2]
        parsed: dict[str, Any] = {
            k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()
        }
        kind = self.headers.get("content-type", "")
        text = self.raw.decode("utf-8", "replace")
        if "json" in kind:
            parsed.update(json.loads(text or "{}"))
        elif "x-www-form-urlencoded" in kind:
            parsed.update({k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()})
        elif text:
            parsed["raw"] = text
        for key in ("blocks", "view", "attachments", "files"):
            if isinstance(parsed.get(key), str):
                parsed[key] = json.loads(parsed[key])
        return parsed


@dataclass
class FileServing:
    """How shared files are sent: whole, or in pieces with a pause after each one.

    A real download arrives in pieces; a reader that takes the first piece for the whole file
    passes against one write on localhost and loses data in production.
    """

    piece_bytes: int | None = None  # None: the whole file in one write
    pause_seconds: float = 0.0
    # False: no Content-Length, the body ends when the connection closes (as some proxies do).
    declare_length: bool = True


@dataclass
class Failure:
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


class MockSlack:
    _serving: ClassVar[dict[str, MockSlack]] = {}

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = defaultdict(list)
        self.user_zones: dict[str, str] = {}
        # Channels the bot is not a member of (conversations.info says is_member false), and
        # the private ones among them (Slack then answers channel_not_found).
        self.channels_without_bot: set[str] = set()
        self.private_channels: set[str] = set()
        # The token's scopes, sent back in X-OAuth-Scopes as Slack does (set it to the
        # manifest's for a token installed as the manifest asks).
        self.scopes = "commands,chat:write,channels:read,groups:read"
        self.socket_mode_url = ""
        # Tokens Slack refuses (revoked, from another app): every call with one is invalid_auth.
        self.refused_tokens: set[str] = set()
        # Tokens revoked (the app uninstalled): every call with one is token_revoked.
        self.revoked_tokens: set[str] = set()
        # Files people shared, served at ``/files/<id>/<name>`` to a bearer of the bot token.
        self.shared_files: dict[str, tuple[str, bytes]] = {}
        self.file_serving = FileServing()
        # Seconds to wait before answering a method, like a slow Slack (races need time to meet).
        self.delays: dict[str, float] = {}
        # What the bot posted (its ids as auth.test gives them) and answers held back.
        self.history = MessageHistory(bot_user_id=BOT_USER_ID, bot_id="BBOT")
        self.holds = Holds()
        # Workspaces installing the app by OAuth, each with a bot token of its own.
        self.oauth = OAuthSide()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        MockSlack._serving[self.api_url] = self
        self.thread = serve_in_background(self.server)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.root + "/api/"

    def share_file(self, file_id: str, name: str, content: bytes) -> dict[str, Any]:
        """Keep a file and return its object as Slack puts it in a ``file_share`` event."""
        self.shared_files[file_id] = (name, content)
        url = f"{self.root}/files/{file_id}/{name}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": name.rpartition(".")[2],
            "size": len(content),
            "url_private": url,
            "url_private_download": url + "?download=1",
        }

    def serve_files_in_pieces(
        self,
        piece_bytes: int = 16 * 1024,
        pause_seconds: float = 0.005,
        *,
        declare_length: bool = True,
    ) -> None:
        self.file_serving = FileServing(piece_bytes, pause_seconds, declare_length)

    def webhook_url(self, name: str = "response") -> str:
        return webhook_url(self.root, name)

    @classmethod
    def serving(cls, api_url: str) -> MockSlack:
        """The mock a bot was pointed at (its settings' ``slack_api_url``)."""
        return cls._serving[api_url]

    def close(self) -> None:
        MockSlack._serving.pop(self.api_url, None)
        self.holds.release_all()
        self.server.shutdown()
        self.server.server_close()

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        error: str = "ratelimited",
    ) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self.failures[method].append(
                Failure(
                    status=status, times=times, headers=headers, body={"ok": False, "error": error}
                )
            )

    def _matching(self, method: str) -> list[Call]:
        if method.startswith("/"):
            return [c for c in self.calls if c.path.startswith(method)]
        return [c for c in self.calls if c.path.startswith("/api/") and c.method == method]

    def of(self, method: str) -> list[Call]:
        """Calls to one Web API method (``chat.postMessage``) or path (``/webhook/response``)."""
        with self._lock:
            return self._matching(method)

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]:
        """The first ``count`` calls to ``method``, as soon as they came; AssertionError after
        ``timeout``. Generous: it costs nothing when the calls come, and on a busy machine an
        export or a chart (drawn in a worker process) takes seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self._matching(method)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.path for c in self.calls]
                    raise AssertionError(f"expected {count} call(s) to {method}, saw {seen}")
                self._changed.wait(remaining)
            return found

    def record(self, call: Call) -> Failure | None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
            pending = self.failures.get(call.method) if call.path.startswith("/api/") else None
            if pending:
                failure = pending[0]
                failure.times -= 1
                if failure.times <= 0:
                    pending.pop(0)
                return failure
        return None

    def answer(self, call: Call) -> dict[str, Any]:
        data = call.data
        n = next(self._ids)
        match call.method:
            case "auth.test":
                token = call.headers.get("authorization", "").removeprefix("Bearer ")
                installed = self.oauth.team_of(token)
                return {
                    "ok": True,
                    "url": "https://chemclust.slack.com/",
                    "team": installed.team_name if installed else "ChemClust",
                    "user": "chemclust",
                    "team_id": installed.team_id if installed else TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": "BBOT",
                }
            case "chat.postMessage":
                message = self.history.post(data)
                return {
                    "ok": True,
                    "channel": data.get("channel"),
                    "ts": message["ts"],
                    "message": {"text": message["text"], "ts": message["ts"]},
                }
            case "conversations.history":
                return self.history.read(data)
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": f"{1700000000 + n}.000200"}
            case "chat.update" | "chat.delete":
                return {"ok": True, "channel": data.get("channel"), "ts": data.get("ts")}
            case "chat.getPermalink":
                channel = data.get("channel", "C")
                ts = str(data.get("message_ts", "1.2")).replace(".", "")
                return {
                    "ok": True,
                    "channel": channel,
                    "permalink": f"https://chemclust.slack.com/archives/{channel}/p{ts}",
                }
            case "conversations.open":
                users = str(data.get("users", "U"))
                return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}
            case "users.info":
                user = str(data.get("user", ""))
                return {
                    "ok": True,
                    "user": {
                        "id": user,
                        "name": user.lower(),
                        "tz": self.user_zones.get(user, "Europe/Brussels"),
                    },
                }
            case "files.getUploadURLExternal":
                return {"ok": True, "upload_url": f"{self.root}/upload/F{n}", "file_id": f"F{n}"}
            case "files.completeUploadExternal":
                files = data.get("files") or []
                return {
                    "ok": True,
                    "files": [{"id": f.get("id"), "title": f.get("title")} for f in files],
                }
            case "reactions.add" | "reactions.remove":
                return {"ok": True}
            case "files.info":
                file_id = str(data.get("file", ""))
                if file_id not in self.shared_files:
                    return {"ok": False, "error": "file_not_found"}
                return {
                    "ok": True,
                    "file": self.share_file(file_id, f"{file_id}.csv", self.shared_files[file_id]),
                }
            case "conversations.info":
                channel = str(data.get("channel", ""))
                private = channel in self.private_channels
                if private and channel in self.channels_without_bot:
                    return {"ok": False, "error": "channel_not_found"}
                return {
                    "ok": True,
                    "channel": {
                        "id": channel,
                        "is_private": private,
                        "is_member": channel not in self.channels_without_bot,
                    },
                }
            case "views.open" | "views.update" | "views.publish":
                return {"ok": True, "view": {"id": f"V{n}"}}
        return {"ok": True}


class _Server(ThreadingHTTPServer):
    # Slack takes many connections at once; the standard backlog of 5 resets the rest, as
    # soon as the dispatcher posts to several channels at a time.
    request_queue_size = 128


def webhook_url(root: str, name: str) -> str:
    """A ``response_url`` on the mock served at ``root``: its posts are kept under the name."""
    return f"{root}/webhook/{name}"


def _handler(mock: MockSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            call = Call(path=self.path, headers=headers, raw=raw, received_at=time.monotonic())
            failure = mock.record(call)
            if call.method in mock.delays and self.path.startswith("/api/"):
                time.sleep(mock.delays[call.method])
            if self.path.startswith("/webhook/") or self.path.startswith("/upload/"):
                self._send(200, b"ok", "text/plain")
                return
            if self.path.startswith("/files/"):
                self._serve_file(headers)
                return
            if failure is not None:
                self._send(
                    failure.status,
                    json.dumps(failure.body).encode(),
                    "application/json",
                    failure.headers,
                )
                return
            token = headers.get("authorization", "").removeprefix("Bearer ")
            if token in mock.refused_tokens or token in mock.revoked_tokens:
                reason = "invalid_auth" if token in mock.refused_tokens else "token_revoked"
                refused = {"ok": False, "error": reason}
                self._send(200, json.dumps(refused).encode(), "application/json")
                return
            if call.method == "oauth.v2.access":
                answer = mock.oauth.exchange(headers, raw)
                self._send(200, json.dumps(answer).encode(), "application/json")
                return
            if call.method == "apps.connections.open":
                token_ok = headers.get("authorization", "").startswith("Bearer xapp-")
                answer = (
                    {"ok": True, "url": mock.socket_mode_url}
                    if token_ok
                    else {"ok": False, "error": "not_authed"}
                )
                self._send(200, json.dumps(answer).encode(), "application/json")
                return
            if not headers.get("authorization", "").startswith("Bearer xoxb-"):
                self._send(
                    200,
                    json.dumps({"ok": False, "error": "not_authed"}).encode(),
                    "application/json",
                )
                return
            answer = json.dumps(mock.answer(call)).encode()
            mock.holds.pause(call)
            self._send(200, answer, "application/json", {"X-OAuth-Scopes": mock.scopes})

        do_GET = do_POST

        def _serve_file(self, headers: dict[str, str]) -> None:
            # Like Slack: without the bot token a private file URL gives the sign-in page.
            if not headers.get("authorization", "").startswith("Bearer xoxb-"):
                self._send(200, b"<html>Sign in</html>", "text/html")
                return
            file_id = self.path.split("/")[2]
            if file_id not in mock.shared_files:
                self._send(404, b"not found", "text/plain")
                return
            content = mock.shared_files[file_id][1]
            if mock.file_serving.piece_bytes is None:
                self._send(200, content, "application/octet-stream")
                return
            self._send_in_pieces(content, mock.file_serving)

        def _send_in_pieces(self, content: bytes, serving: FileServing) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/octet-stream")
            if serving.declare_length:
                self.send_header("content-length", str(len(content)))
            else:
                self.close_connection = True
            self.end_headers()
            step = serving.piece_bytes or len(content)
            for start in range(0, len(content), step):
                self.wfile.write(content[start : start + step])
                self.wfile.flush()
                time.sleep(serving.pause_seconds)

        def _send(
            self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
