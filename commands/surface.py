"""What the platform a request came from can do, told to commands as facts, never as a name.

Adapters fill a ``Surface`` in; commands ask it ("can the bot post in this channel?") and
word their answers from it, so no command compares platform names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Reach(Enum):
    """Whether the bot can work in a channel."""

    MEMBER = "member"  # it is in the channel: it can post there and hears what is written
    POSTS = "posts"  # it can post there without being in it (a public channel, by permission)
    OUTSIDE = "outside"  # it can neither post nor hear
    UNKNOWN = "unknown"  # the platform would not say (in time)


def _unknown(_channel_id: str) -> Reach:
    return Reach.UNKNOWN


@dataclass(frozen=True)
class Surface:
    # Asked from a command's worker thread; answers within about a second.
    reach: Callable[[str], Reach] = _unknown
    # How people bring the bot into a channel, in the platform's own words.
    invite_hint: str = ""
    # The line that brings the bot into a channel, when the platform has one ("/invite @…").
    invite_command: str = ""
    # Whether the bot can hand people files (workbooks, calendar files) here.
    files: bool = True
    # Whether the bot hears channel messages that do not mention it; where it does not, an
    # update is written to it by mention.
    hears_channel: bool = True
    # How people address the bot in a message.
    bot_mention: str = "@ChemClust"
    # Whether the bot's posts for a channel land in the conversation it was addressed in
    # (one thread of the channel) rather than in the channel as a whole.
    posts_where_addressed: bool = False
    # Where a person's own time zone comes from, in words ("your … time zone"); "" when the
    # platform tells none, and times without a zone are read in the group's.
    own_timezone: str = "your own time zone"
    # The conversation the bot's own posts (reminders) go to when a command comes from no
    # channel; None when such a command has no conversation to post to.
    home_channel: str | None = None


NO_SURFACE = Surface()
