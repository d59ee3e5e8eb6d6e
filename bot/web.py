"""The aiohttp application: Slack's and Teams' endpoints, the health check, the calendar feed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp

from bot import metrics
from bot.operations_web import add_operations_routes
from bot.runtime import Runtime
from bot.verification import MAX_BODY_BYTES, SIGNATURE_HEADER, TIMESTAMP_HEADER, SlackSignature
from commands.events.calendar import calendar_for_token, event_calendar_for_link
from storage.db import database_unreachable, outage_reason, ping

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
SLACK_APP = web.AppKey("slack_app", AsyncApp)
SLACK_SIGNATURE = web.AppKey("slack_signature", SlackSignature)
# Typed only: Socket Mode's module is loaded by the server when Socket Mode is on.
SOCKET_MODE: web.AppKey[AsyncSocketModeHandler] = web.AppKey("socket_mode")
PLATFORMS = web.AppKey("platforms", dict)
TEAMS_ROUTE = "/api/messages"


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    database_ok = await asyncio.to_thread(ping, runtime.engine)
    body: dict[str, object] = {
        "database": "ok" if database_ok else "unreachable",
        "platforms": request.app[PLATFORMS],
    }
    healthy = database_ok
    if SOCKET_MODE in request.app:
        # Without its WebSocket, a Socket Mode process hears nothing from Slack.
        connected = await request.app[SOCKET_MODE].client.is_connected()
        body["socket_mode"] = "connected" if connected else "not connected"
        healthy = healthy and connected
    body = {"status": "ok" if healthy else "unavailable", **body}
    return web.json_response(body, status=200 if healthy else 503)


async def calendar_feed(request: web.Request) -> web.Response:
    """The group's events as iCalendar; the token in the address is the group's secret."""
    content = await _read_calendar(request, calendar_for_token, request.match_info["token"])
    if content is None:
        # Unknown or rotated: say nothing more, so addresses cannot be probed.
        return web.Response(status=404, text="No calendar at this address.\n")
    return web.Response(
        body=content,
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="chemclust.ics"',
        },
    )


async def event_calendar(request: web.Request) -> web.Response:
    """One event's calendar file, behind the signed address "Add to calendar" hands out."""
    content = await _read_calendar(
        request,
        event_calendar_for_link,
        request.match_info["event_id"],
        request.match_info["signature"],
    )
    if content is None:
        return web.Response(status=404, text="No calendar at this address.\n")
    return web.Response(
        body=content,
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'attachment; filename="event.ics"',
        },
    )


async def _read_calendar(
    request: web.Request, read: Callable[..., bytes | None], *args: object
) -> bytes | None:
    """``read(sessions, *args, now=…)`` in a worker thread; 503 while the database is away."""
    runtime = request.app[RUNTIME]
    try:
        return await asyncio.to_thread(read, runtime.core.sessions, *args, now=runtime.core.clock())
    except Exception as error:
        if not database_unreachable(error):
            raise
        log.warning("calendar not served: the database is unavailable (%s)", outage_reason(error))
        raise web.HTTPServiceUnavailable(
            text="The calendar is unavailable; please try again in a minute.\n",
            headers={"Retry-After": "60"},
        ) from None


async def slack_events(request: web.Request) -> web.Response:
    body = await request.read()  # at most MAX_BODY_BYTES (the app's client_max_size): else 413
    verified = request.app[SLACK_SIGNATURE].verify(
        body,
        timestamp=_single(request, TIMESTAMP_HEADER),
        signature=_single(request, SIGNATURE_HEADER),
    )
    if not verified:
        return web.json_response({"error": "invalid request"}, status=401)
    metrics.count_retry("slack", request.headers.get("X-Slack-Retry-Num"))
    # Bolt verifies again (a second line) and parses the body we have read.
    bolt_response = await request.app[SLACK_APP].async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(bolt_response)


def _single(request: web.Request, header: str) -> str | None:
    """The header's value when it is sent exactly once."""
    values = request.headers.getall(header, [])
    return values[0] if len(values) == 1 else None


@web.middleware
async def guard_bodies(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Refuse a body announced as too large before reading it, and answer an activity the
    Agents SDK cannot read with 400, not a 500 with a traceback."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        refused = web.json_response({"error": "request body too large"}, status=413)
        refused.force_close()  # the body stays unread: no keep-alive after this answer
        return refused
    if request.path != TEAMS_ROUTE:
        return await handler(request)
    try:
        return await handler(request)
    except ValueError as error:  # pydantic's ValidationError: JSON that is not an Activity
        log.warning("Teams request refused: not an activity (%s)", type(error).__name__)
        return web.json_response({"error": "not a valid activity"}, status=400)


async def teams_off(request: web.Request) -> web.Response:
    # Without credentials or TEAMS_ALLOW_ANONYMOUS nothing can be verified: refuse, as an
    # activity with a bad token would be.
    return web.json_response(
        {"error": "Teams is not configured on this server (see TEAMS_APP_ID in the README)."},
        status=401,
    )


def build_web_app(
    runtime: Runtime,
    *,
    slack_app: AsyncApp | None,
    teams_app: web.Application | None = None,
    socket_mode: AsyncSocketModeHandler | None = None,
) -> web.Application:
    """``teams_app`` is the Teams sub-application (bot.teams.app), served under /api;
    ``socket_mode`` Slack's connection in Socket Mode, which /healthz reports on."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[guard_bodies])
    app[RUNTIME] = runtime
    slack_mode = "off"
    if slack_app is not None:
        slack_mode = "socket" if runtime.settings.slack_socket_mode else "http"
        if runtime.settings.slack_signing_secret:
            app[SLACK_APP] = slack_app
            app[SLACK_SIGNATURE] = SlackSignature(runtime.settings.slack_signing_secret)
            app.router.add_post("/slack/events", slack_events)
    teams_mode = "off"
    if teams_app is not None:
        teams_mode = runtime.settings.teams_mode
        app.add_subapp("/api", teams_app)
    else:
        app.router.add_post(TEAMS_ROUTE, teams_off)
    app[PLATFORMS] = {"slack": slack_mode, "teams": teams_mode}
    if socket_mode is not None:
        app[SOCKET_MODE] = socket_mode
    app.router.add_get("/healthz", healthz)
    add_operations_routes(app, runtime, socket_mode=socket_mode)  # /readyz, /metrics
    app.router.add_get("/calendar/{token:[A-Za-z0-9_-]{8,128}}.ics", calendar_feed)
    app.router.add_get(
        "/calendar/event/{event_id:[0-9]{1,12}}-{signature:[0-9a-f]{32}}.ics", event_calendar
    )
    return app
