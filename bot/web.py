"""The aiohttp application: Slack's and Teams' endpoints, the health check, the calendar feed."""

from __future__ import annotations

import asyncio

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp

from bot.runtime import Runtime
from commands.events.calendar import calendar_for_token, event_calendar_for_link
from storage.db import ping

RUNTIME = web.AppKey("runtime", Runtime)
SLACK_APP = web.AppKey("slack_app", AsyncApp)
PLATFORMS = web.AppKey("platforms", dict)


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    database_ok = await asyncio.to_thread(ping, runtime.engine)
    body = {
        "status": "ok" if database_ok else "unavailable",
        "database": "ok" if database_ok else "unreachable",
        "platforms": request.app[PLATFORMS],
    }
    return web.json_response(body, status=200 if database_ok else 503)


async def calendar_feed(request: web.Request) -> web.Response:
    """The group's events as iCalendar; the token in the address is the group's secret."""
    runtime = request.app[RUNTIME]
    token = request.match_info["token"]
    content = await asyncio.to_thread(
        calendar_for_token, runtime.core.sessions, token, now=runtime.core.clock()
    )
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
    runtime = request.app[RUNTIME]
    content = await asyncio.to_thread(
        event_calendar_for_link,
        runtime.core.sessions,
        request.match_info["event_id"],
        request.match_info["signature"],
        now=runtime.core.clock(),
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


async def slack_events(request: web.Request) -> web.Response:
    bolt_response = await request.app[SLACK_APP].async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(bolt_response)


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
) -> web.Application:
    """``teams_app`` is the Teams sub-application (bot.teams.app), served under /api."""
    app = web.Application()
    app[RUNTIME] = runtime
    slack_mode = "off"
    if slack_app is not None:
        slack_mode = "socket" if runtime.settings.slack_socket_mode else "http"
        if runtime.settings.slack_signing_secret:
            app[SLACK_APP] = slack_app
            app.router.add_post("/slack/events", slack_events)
    teams_mode = "off"
    if teams_app is not None:
        teams_mode = runtime.settings.teams_mode
        app.add_subapp("/api", teams_app)
    else:
        app.router.add_post("/api/messages", teams_off)
    app[PLATFORMS] = {"slack": slack_mode, "teams": teams_mode}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/calendar/{token:[A-Za-z0-9_-]{8,128}}.ics", calendar_feed)
    app.router.add_get(
        "/calendar/event/{event_id:[0-9]{1,12}}-{signature:[0-9a-f]{32}}.ics", event_calendar
    )
    return app
