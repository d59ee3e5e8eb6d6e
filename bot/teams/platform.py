"""Microsoft Teams as a platform of the web process: activities on ``/api/messages``.

The Agents SDK is loaded only when Teams is configured, so Slack-only deployments never pay
for it. Without Teams the route still answers, with 401: nothing there could be verified.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

from bot.platforms import Connection, Health, Off
from bot.settings import Settings
from bot.teams.identity import PLATFORM

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.teams.app import TeamsBot
    from commands.port import Sender

MOUNT = "/api"
MESSAGES_ROUTE = MOUNT + "/messages"


class TeamsPlatform:
    name = PLATFORM

    def standalone_sender(self, settings: Settings) -> Sender | None:
        return None  # proactive messages go through the SDK adapter of the web process

    async def check_credentials(self, settings: Settings) -> None:
        return None  # the SDK asks for tokens when it first sends

    def start(self, runtime: Runtime) -> Connection:
        if runtime.settings.teams_mode == "off":
            return TeamsOff()
        from bot.teams.app import build_teams

        return TeamsConnection(runtime.settings.teams_mode, build_teams(runtime))


class TeamsConnection:
    def __init__(self, mode: str, bot: TeamsBot):
        self.mode = mode
        self.bot = bot

    def mount(self, app: web.Application) -> None:
        app.add_subapp(MOUNT, self.bot.web_app)

    async def connect(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def sender(self) -> Sender | None:
        """The proactive sender, reached from the jobs' worker threads on this (the running)
        event loop, where the Teams adapter lives."""
        from bot.teams.sender import TeamsReminderSender

        return TeamsReminderSender(self.bot.sender, asyncio.get_running_loop())

    async def health(self) -> Health:
        return Health()


class TeamsOff(Off):
    def mount(self, app: web.Application) -> None:
        app.router.add_post(MESSAGES_ROUTE, teams_off)


async def teams_off(request: web.Request) -> web.Response:
    # Without credentials or TEAMS_ALLOW_ANONYMOUS nothing can be verified: refuse, as an
    # activity with a bad token would be.
    return web.json_response(
        {"error": "Teams is not configured on this server (see TEAMS_APP_ID in the README)."},
        status=401,
    )
