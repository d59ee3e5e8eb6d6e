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
    # Whether the bot can hand people files (workbooks, calendar files) here.
    files: bool = True


NO_SURFACE = Surface()
