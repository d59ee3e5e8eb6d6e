"""Chat platforms as plug-ins of the web process.

A ``Platform`` knows its settings, checks its credentials before the process serves, and,
started in the web process, becomes a ``Connection``: the routes it mounts, what it connects
after the server listens (Socket Mode), the sender the scheduled jobs post through, what
``/healthz`` says of it. ``bot/server.py``, ``bot/web.py`` and ``bot/jobs.py`` iterate the
runtime's platforms and name none; a new platform is a folder in ``bot/`` with a
``platform.py``, added to ``default_platforms``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.settings import Settings
    from commands.port import Sender

OFF = "off"


@dataclass(frozen=True)
class Health:
    healthy: bool = True
    # Reported next to the platform's mode: {"socket_mode": "connected"}.
    details: dict[str, str] = field(default_factory=dict)


class Connection(Protocol):
    """A platform started in this web process (or left off: ``mode`` is ``"off"``)."""

    mode: str  # for /healthz: "http", "socket", "on", "anonymous", "off"

    def mount(self, app: web.Application) -> None:
        """Add the platform's routes (an "off" platform may mount a refusal)."""

    async def connect(self) -> None:
        """After the server listens: open what the platform needs (a WebSocket)."""

    async def close(self) -> None: ...

    def sender(self) -> Sender | None:
        """The port the scheduled jobs post through; called on the running event loop."""

    async def health(self) -> Health: ...


class Platform(Protocol):
    name: str  # as in Identity.platform and reminder rows: "slack", "teams"

    def standalone_sender(self, settings: Settings) -> Sender | None:
        """A sender that needs no running web process (a job run by hand, a test); None when
        the platform is off or can post only from the web process."""

    async def check_credentials(self, settings: Settings) -> None:
        """Before serving: raise ConfigurationError when the platform refuses them."""

    def start(self, runtime: Runtime) -> Connection:
        """Build the platform's side of the web process, on its running event loop."""


class Off:
    """A platform not configured in this process: no routes, no sender."""

    mode = OFF

    def mount(self, app: web.Application) -> None:
        return None

    async def connect(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def sender(self) -> Sender | None:
        return None

    async def health(self) -> Health:
        return Health()


def default_platforms() -> tuple[Platform, ...]:
    """Every platform this bot ships; each stays off unless its settings are given."""
    from bot.slack.platform import SlackPlatform
    from bot.teams.platform import TeamsPlatform

    return (SlackPlatform(), TeamsPlatform())
