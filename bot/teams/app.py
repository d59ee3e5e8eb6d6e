"""Building the Teams side: authentication, the Agents SDK adapter and application, the route.

Imported only when Teams is configured (it loads the Microsoft 365 Agents SDK).

Wiring for microsoft-agents-* 1.9.0: a ``CloudAdapter`` needs a connection manager, the
``AgentApplication`` a connection manager and a storage, and the JWT middleware reads the
auth configuration from ``app["agent_configuration"]``. The middleware sits on an aiohttp
sub-application that holds only ``/api/messages`` (``bot.teams.platform`` mounts it), so
Slack's endpoint and the health check never see it.
"""

from __future__ import annotations

import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ApplicationOptions,
    ConnectionManager,
    TurnContext,
    TurnState,
)

from bot.runtime import Runtime
from bot.settings import ConfigurationError, Settings
from bot.startup import teams_incomplete
from bot.teams import handlers
from bot.teams.proactive import TeamsSender
from bot.teams.state import NoStateStorage

log = logging.getLogger(__name__)

SERVICE_CONNECTION = "SERVICE_CONNECTION"
_USER_TOKEN_CLIENT_LOGGER = "microsoft_agents.hosting.core.connector.client.user_token_client"  # noqa: S105


@dataclass
class TeamsBot:
    web_app: web.Application  # mounted under /api
    adapter: CloudAdapter
    agent: AgentApplication
    sender: TeamsSender


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    missing = settings.missing_teams_settings()
    if missing:
        raise ConfigurationError(teams_incomplete(missing))
    return AgentAuthConfiguration(
        client_id=settings.teams_app_id or None,
        client_secret=settings.teams_app_password or None,
        tenant_id=settings.teams_tenant_id or None,
        anonymous_allowed=settings.teams_allow_anonymous,
    )


def connection_manager(settings: Settings, auth: AgentAuthConfiguration) -> ConnectionManager:
    """MSAL tokens for outgoing calls when there are credentials; none for a local stub."""
    connections = {SERVICE_CONNECTION: auth}
    if settings.teams_credentials:
        from microsoft_agents.authentication.msal import MsalConnectionManager

        return MsalConnectionManager(connections_configurations=connections)
    return ConnectionManager(
        provider_factory=lambda _config: AnonymousTokenProvider(),
        connections_configurations=connections,
    )


def build_teams(runtime: Runtime) -> TeamsBot:
    settings = runtime.settings
    if not settings.teams_app_id:
        # Anonymous local mode: the SDK would warn about the missing app id on every turn.
        logging.getLogger(_USER_TOKEN_CLIENT_LOGGER).setLevel(logging.ERROR)
    auth = auth_configuration(settings)
    connections = connection_manager(settings, auth)
    adapter = CloudAdapter(connection_manager=connections)
    adapter.on_turn_error = _on_turn_error
    options = ApplicationOptions(
        storage=NoStateStorage(),
        # Replies come within a second; a typing indicator would only add traffic.
        start_typing_timer=False,
    )
    agent = AgentApplication[TurnState](options, connection_manager=connections)
    sender = TeamsSender(adapter, runtime.core.sessions, app_id=settings.teams_app_id)
    handlers.register(agent, runtime.core)
    agent.error(_on_turn_error)

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await start_agent_process(request, agent, adapter)
        return response if response is not None else web.Response(status=202)

    app = web.Application(middlewares=[refuse_what_is_no_activity, jwt_authorization_middleware])
    with warnings.catch_warnings():
        # The SDK's middleware looks the configuration up by this plain string key.
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app["agent_configuration"] = auth
    app.router.add_post("/messages", messages)
    return TeamsBot(web_app=app, adapter=adapter, agent=agent, sender=sender)


@web.middleware
async def refuse_what_is_no_activity(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Answer JSON the Agents SDK cannot read as an activity with 400, not a 500 with a
    traceback."""
    try:
        return await handler(request)
    except ValueError as error:  # pydantic's ValidationError: JSON that is not an Activity
        log.warning("Teams request refused: not an activity (%s)", type(error).__name__)
        return web.json_response({"error": "not a valid activity"}, status=400)


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """Log with an id and apologise; never the exception text to the user (the SDK's default)."""
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s in a Teams turn", error_id, exc_info=error)
    try:
        await context.send_activity(
            "Sorry, something went wrong on our side. The coordinators can look it up "
            f"with error id {error_id}."
        )
    except Exception:
        log.exception("could not tell the user about error %s", error_id)
