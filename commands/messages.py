"""Messages people write where the bot listens, in platform-neutral terms.

Commands are typed at the bot; messages are ordinary conversation that the bot overhears and
may act on (a pilot update). An adapter turns a platform event into a ``ChatMessage`` and
calls ``Core.handle_message``; a handler registered with ``Registry.add_message_handler``
decides whether the message concerns it and returns a ``MessageOutcome`` the adapter carries
out (mark the message as handled, tell the author something privately). Most messages
concern nobody, and then nothing at all happens — unless the adapter treats messages written
to the bot as commands (Teams): ``taken`` tells it whether to run the message as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from commands.reply import Reply

POSTED = "posted"
EDITED = "edited"
DELETED = "deleted"


class MessageLookups(Protocol):
    """What a handler may need to ask the platform about a message; filled in by the adapter.

    Each returns None when the platform cannot tell (or does not answer in time).
    """

    def permalink(self, channel_id: str, message_id: str) -> str | None: ...

    def user_name(self, user_id: str) -> str | None: ...


class NoLookups:
    """For platforms and tests without a way to ask."""

    def permalink(self, channel_id: str, message_id: str) -> str | None:
        return None

    def user_name(self, user_id: str) -> str | None:
        return None


NO_LOOKUPS = NoLookups()


@dataclass(frozen=True)
class ChatMessage:
    kind: str  # POSTED, EDITED or DELETED
    channel_id: str
    message_id: str  # unique within the channel (Slack: the message ts)
    text: str  # plain text: the platform's markup already turned into what a reader sees
    author_id: str | None
    posted_at: datetime
    # The thread's first message when this is a reply in a thread; None at top level.
    thread_id: str | None = None
    # The platform's id for this delivery: a redelivery carries the same one.
    delivery_id: str | None = None
    # The bot was addressed (mentioned) rather than overheard.
    addressed: bool = False
    lookups: MessageLookups = NO_LOOKUPS

    @property
    def top_level(self) -> bool:
        return self.thread_id is None or self.thread_id == self.message_id


@dataclass(frozen=True)
class MessageOutcome:
    """What the adapter does about a message. The default is nothing at all."""

    # Show on the message that the bot took it (Slack: a ✅ reaction).
    acknowledge: bool = False
    # Take that mark away again (an edit turned the message into ordinary conversation).
    withdraw: bool = False
    # A note only the author sees (Slack: an ephemeral message in the channel or thread).
    private: Reply | None = None
    # The acknowledgement in words, for platforms that cannot mark a message and reply
    # instead (Teams bots cannot add reactions); it comes with ``acknowledge``.
    receipt: Reply | None = None
    # False: no handler took the message as its own (ordinary conversation, or a command
    # typed to the bot). True also when a handler took it and has nothing to do (a retry).
    taken: bool = True

    @property
    def is_nothing(self) -> bool:
        return not (self.acknowledge or self.withdraw or self.private)


NOTHING = MessageOutcome()
NOT_TAKEN = MessageOutcome(taken=False)
