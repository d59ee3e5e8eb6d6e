"""Slack as a platform of the web process: Bolt over HTTP (``/slack/events``) or Socket Mode."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.platforms import Connection, Health, Off
from bot.settings import Settings
from bot.slack.identity import PLATFORM
from bot.verification import SIGNATURE_HEADER, TIMESTAMP_HEADER, SlackSignature

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_bolt.app.async_app import AsyncApp

    from bot.runtime import Runtime
    from commands.core import Core
    from commands.port import Sender

EVENTS_ROUTE = "/slack/events"
# Typed only: Bolt is loaded when Slack is on, not by every process that lists the platforms.
SLACK_APP: web.AppKey[AsyncApp] = web.AppKey("slack_app")
SLACK_SIGNATURE = web.AppKey("slack_signature", SlackSignature)
# Socket Mode's own logger (bot.logs turns its connection failures into one line each).
SOCKET_MODE_LOGGER = "slack_sdk.socket_mode.aiohttp"


class SlackPlatform:
    name = PLATFORM

    def joins_by_invitation(self, settings: Settings) -> bool:
        """Installed by OAuth in many workspaces, a workspace joins a group by invitation."""
        return settings.slack_oauth

    def standalone_sender(self, settings: Settings) -> Sender | None:
        if not settings.slack_enabled:
            return None
        from bot.slack.sender import slack_sender

        return slack_sender(settings)

    async def check_credentials(self, settings: Settings) -> None:
        from bot.startup import check_slack_tokens

        await check_slack_tokens(settings)

    def start(self, runtime: Runtime) -> Connection:
        if not runtime.settings.slack_enabled:
            return Off()
        from bot.slack.app import build_slack_app

        return SlackConnection(
            runtime.settings, build_slack_app(runtime.settings, runtime.core), runtime.core
        )


class SlackConnection:
    def __init__(self, settings: Settings, app: AsyncApp, core: Core | None = None):
        self.settings = settings
        self.app = app
        self.core = core
        self.mode = "socket" if settings.slack_socket_mode else "http"
        self.socket_mode: AsyncSocketModeHandler | None = None
        if settings.slack_socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self.socket_mode = AsyncSocketModeHandler(
                app, settings.slack_app_token, logger=logging.getLogger(SOCKET_MODE_LOGGER)
            )

    def mount(self, app: web.Application) -> None:
        # Over Socket Mode without a signing secret, nothing could verify an HTTP request.
        if self.settings.slack_signing_secret:
            app[SLACK_APP] = self.app
            app[SLACK_SIGNATURE] = SlackSignature(self.settings.slack_signing_secret)
            app.router.add_post(EVENTS_ROUTE, slack_events)
        if self.settings.slack_oauth:
            from bot.slack.oauth import mount_oauth

            mount_oauth(app, self.app)

    async def connect(self) -> None:
        if self.socket_mode is not None:
            await self.socket_mode.connect_async()

    async def close(self) -> None:
        if self.socket_mode is not None:
            await self.socket_mode.close_async()

    def sender(self) -> Sender | None:
        from bot.slack.sender import slack_sender

        return slack_sender(self.settings, self.core.sessions if self.core else None)

    async def health(self) -> Health:
        if self.socket_mode is None:
            return Health()
        # Without its WebSocket, a Socket Mode process hears nothing from Slack.
        connected = await self.socket_mode.client.is_connected()
        return Health(connected, {"socket_mode": "connected" if connected else "not connected"})


async def slack_events(request: web.Request) -> web.Response:
    body = await request.read()  # at most MAX_BODY_BYTES (the app's client_max_size): else 413
    verified = request.app[SLACK_SIGNATURE].verify(
        body,
        timestamp=_single(request, TIMESTAMP_HEADER),
        signature=_single(request, SIGNATURE_HEADER),
    )
    if not verified:
        return web.json_response({"error": "invalid request"}, status=401)
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    from bot import metrics  # the web process has it loaded; the console never gets here

    metrics.count_retry("slack", request.headers.get("X-Slack-Retry-Num"))
    # Bolt verifies again (a second line) and parses the body we have read.
    bolt_response = await request.app[SLACK_APP].async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(bolt_response)


def _single(request: web.Request, header: str) -> str | None:
    """The header's value when it is sent exactly once."""
    values = request.headers.getall(header, [])
    return values[0] if len(values) == 1 else None
