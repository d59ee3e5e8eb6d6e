"""The port through which the dispatcher reaches a platform.

``bot/`` fills it in: a Slack sender, the console printer, later a Teams sender. A target
says its platform and the conversation on it, so one dispatcher serves every platform the
process can reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from commands.reply import Reply


@dataclass(frozen=True)
class Target:
    platform: str  # "slack", "teams", "console"
    # {"channel": "C123"} for a channel, {"user": "U123"} for a direct message; platforms add
    # what they need to reach it ("workspace", a Teams conversation reference, …).
    conversation: dict[str, Any]

    @property
    def is_direct(self) -> bool:
        return "user" in self.conversation and "channel" not in self.conversation

    @property
    def label(self) -> str:
        if self.is_direct:
            return f"{self.platform} direct message to {self.conversation['user']}"
        return f"{self.platform} channel {self.conversation.get('channel', '?')}"


@dataclass(frozen=True)
class Sent:
    message_ref: str | None = None  # the platform's id of the message (Slack: channel:ts)


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (rate limit, server error, no connection): try again later."""

    reason: str
    after_seconds: float | None = None  # what the platform asked for (Retry-After)


@dataclass(frozen=True)
class Undeliverable:
    """A failure that waiting will not cure (unknown channel, bot removed, bad token)."""

    reason: str


Outcome = Sent | RetryLater | Undeliverable


class Sender(Protocol):
    def __call__(self, target: Target, reply: Reply) -> Outcome: ...
