"""The port through which the bot posts on its own initiative (reminders, notices, digests).

``bot/`` fills it in: a Slack sender, a Teams sender, the console printer. A target says its
platform and the conversation on it, so one dispatcher serves every platform the process can
reach. Each post carries a ``Mark`` naming the row it was claimed for; a platform that can
search a conversation for its own marked messages (Slack) answers ``find``, so that a post
whose sender died before recording it is recognised instead of sent twice (``once``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
class Mark:
    """Which claimed row a post is for: ("reminder", 12), ("digest", 3)."""

    kind: str
    id: int


@dataclass(frozen=True)
class Sent:
    message_ref: str | None = None  # the platform's id of the message (Slack: channel:ts)
    # True when nothing was posted now: the message was found, posted by an earlier attempt
    # whose process died before recording it.
    found_earlier: bool = False


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (rate limit, server error, no connection): try again later."""

    reason: str
    after_seconds: float | None = None  # what the platform asked for (Retry-After)
    # The platform may have the message all the same (no answer came back, or looking for an
    # earlier attempt's message failed): the next attempt looks before it posts.
    unconfirmed: bool = False


@dataclass(frozen=True)
class Undeliverable:
    """A failure that waiting will not cure (unknown channel, bot removed, bad token)."""

    reason: str


Outcome = Sent | RetryLater | Undeliverable


@dataclass(frozen=True)
class NotFound:
    """The conversation holds no message with the mark: no earlier attempt delivered it."""


@dataclass(frozen=True)
class CannotTell:
    """The platform cannot say whether an earlier attempt delivered it (it keeps no history
    the bot may read, or the bot lacks the permission); only posting again is left."""

    reason: str


# What ``find`` answers: the earlier message (Sent), NotFound, RetryLater (the search failed
# for a passing reason) or CannotTell.
Lookup = Sent | NotFound | RetryLater | CannotTell


class Sender(Protocol):
    """A platform's port. One that may post from several threads at once, to different
    conversations, says how many in an attribute ``parallel`` (the dispatcher reads it,
    taking 1 when it is absent: the console prints one message after another)."""

    # What coordinators should check when a post failed for good, in the platform's words
    # ("… and that Slack is reachable"); a sender without one leaves a general hint.
    failure_hint: str

    def __call__(self, target: Target, reply: Reply, mark: Mark) -> Outcome:
        """Post ``reply`` to ``target``, carrying ``mark`` where the platform keeps it."""
        ...

    def find(self, target: Target, mark: Mark, *, since: datetime) -> Lookup:
        """Look in ``target`` for a message with ``mark`` posted at or after ``since``."""
        ...
