"""The mock Web API's memory of what the bot posted (``conversations.history``) and its held
answers: a posted message, and an answer kept back after Slack did the work."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.support.mock_slack import Call


class MessageHistory:
    """What the bot posted, per conversation, as ``conversations.history`` returns it.

    A message's ts comes from ``clock`` (the real time unless a test injects its own), so
    that ``oldest`` selects what was posted after a moment the bot knows.
    """

    def __init__(self, *, bot_user_id: str, bot_id: str) -> None:
        self.bot_user_id, self.bot_id = bot_user_id, bot_id
        self.clock: Callable[[], float] = time.time
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._last_ts = 0.0
        self._lock = threading.Lock()

    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Keep a message the bot posted with ``chat.postMessage``; returns it."""
        message: dict[str, Any] = {
            "type": "message",
            "text": data.get("text"),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
        }
        if data.get("metadata"):
            metadata = data["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        return self.add(str(data.get("channel")), message)

    def add(self, channel: str, message: dict[str, Any]) -> dict[str, Any]:
        """Put a message in a conversation (someone else's too); it gets the next ts."""
        with self._lock:
            self._last_ts = max(self.clock(), self._last_ts + 0.000001)
            stored = {**message, "ts": f"{self._last_ts:.6f}"}
            self.messages[channel].append(stored)
        return stored

    def read(self, data: dict[str, Any]) -> dict[str, Any]:
        """``conversations.history``: newest first, after ``oldest``, paged by ``cursor``;
        metadata only with ``include_all_metadata``."""
        oldest = float(data.get("oldest") or 0)
        inclusive = _true(data.get("inclusive"))
        with self._lock:
            found = [
                m
                for m in self.messages.get(str(data.get("channel")), [])
                if float(m["ts"]) > oldest or (inclusive and float(m["ts"]) == oldest)
            ]
        found.reverse()
        start = int(data.get("cursor") or 0)
        limit = int(data.get("limit") or 100)
        page = found[start : start + limit]
        if not _true(data.get("include_all_metadata")):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }


def _true(value: Any) -> bool:
    return str(value).lower() in {"1", "true"}


class Holds:
    """Answers held back after Slack did the work: the call is recorded and answered (a posted
    message is in the history), but the answer waits until released, or the bot is gone."""

    def __init__(self) -> None:
        self._held: dict[str, list[Call]] = {}
        self._released: dict[str, threading.Event] = {}
        self._changed = threading.Condition()

    def hold(self, method: str) -> None:
        with self._changed:
            self._held[method] = []
            self._released[method] = threading.Event()

    def pause(self, call: Call) -> None:
        with self._changed:
            if call.method not in self._held:
                return
            self._held[call.method].append(call)
            released = self._released[call.method]
            self._changed.notify_all()
        released.wait(timeout=120)

    def wait_held(self, method: str, timeout: float = 30.0) -> Call:
        """The first call held back (waits for it)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._held.get(method), timeout=timeout):
                raise AssertionError(f"no call to {method} was held within {timeout}s")
            return self._held[method][0]

    def held(self, method: str) -> list[Call]:
        """The calls held back so far."""
        with self._changed:
            return list(self._held.get(method, []))

    def release(self, method: str) -> None:
        with self._changed:
            self._held.pop(method, None)
            event = self._released.pop(method, None)
        if event is not None:
            event.set()

    def release_all(self) -> None:
        for method in list(self._released):
            self.release(method)
