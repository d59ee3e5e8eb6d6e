"""Slack in many workspaces: Bolt's OAuth flow, installations on the bot's own database.

``GET /slack/install`` shows the *Add to Slack* page with Slack's authorize URL and a state
(also set as a cookie); ``GET /slack/oauth_redirect`` takes Slack's code and that state back,
checks both (a state is used once), exchanges the code at ``oauth.v2.access`` and stores the
installation, its tokens sealed. Every request from a workspace is then authorised with that
workspace's own bot token. When a workspace revokes the bot's tokens or uninstalls the app,
its installation is removed whole; what the bot would send there afterwards fails at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from bot import slack
from bot.settings import Settings
from bot.slack.installations import AsyncBridge, OnceStateStore, SealedInstallationStore
from bot.slack.manifest import manifest_scopes
from commands.core import Core
from storage.installations import TokenCipher

log = logging.getLogger(__name__)

INSTALL_ROUTE = "/slack/install"
REDIRECT_ROUTE = "/slack/oauth_redirect"


def installation_store(settings: Settings, core: Core) -> SealedInstallationStore:
    return SealedInstallationStore(
        settings.slack_client_id, core.sessions, TokenCipher(settings.secret_key)
    )


def build_oauth_app(settings: Settings, core: Core) -> AsyncApp:
    from bot.slack.app import web_client

    installations = installation_store(settings, core)
    stores = AsyncBridge(installations, OnceStateStore(core.sessions))
    redirect_uri = settings.public_url + REDIRECT_ROUTE if settings.public_url else None
    app = AsyncApp(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret,
        process_before_response=False,
        logger=logging.getLogger("slack_bolt"),
        installation_store_bot_only=True,
        oauth_settings=AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=list(settings.slack_scopes or manifest_scopes()),
            redirect_uri=redirect_uri,
            install_path=INSTALL_ROUTE,
            redirect_uri_path=REDIRECT_ROUTE,
            installation_store=stores,
            installation_store_bot_only=True,
            state_store=stores,
        ),
    )
    register_revocations(app, installations)
    slack.register(app, core)
    return app


def register_revocations(app: AsyncApp, installations: SealedInstallationStore) -> None:
    async def tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        # Only the bot's tokens matter: the bot keeps no person's token to act with.
        if (event.get("tokens") or {}).get("bot"):
            await _forget(installations, context, "revoked the bot's tokens")

    async def app_uninstalled(context: AsyncBoltContext) -> None:
        await _forget(installations, context, "uninstalled the app")

    app.event("tokens_revoked")(tokens_revoked)
    app.event("app_uninstalled")(app_uninstalled)


async def _forget(
    installations: SealedInstallationStore, context: AsyncBoltContext, what: str
) -> None:
    org_wide = bool(context.is_enterprise_install)
    team_id = None if org_wide else context.team_id
    removed = await asyncio.to_thread(
        installations.remove, team_id=team_id, enterprise_id=context.enterprise_id
    )
    log.info(
        "Slack workspace %s %s: %s installation row(s) removed",
        team_id or context.enterprise_id,
        what,
        removed,
    )


def mount_oauth(app: web.Application, bolt: AsyncApp) -> None:
    """The two pages of the install flow, served by Bolt's own OAuth flow."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    flow = bolt.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        page = await flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(page)

    async def redirect(request: web.Request) -> web.Response:
        page = await flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(page)

    app.router.add_get(INSTALL_ROUTE, install)
    app.router.add_get(REDIRECT_ROUTE, redirect)
