"""The aiohttp application: each platform's routes, the health check, the features' routes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from bot.liveness import DatabaseWatch
from bot.operations_web import add_operations_routes
from bot.platforms import Connection
from bot.runtime import Runtime
from bot.verification import MAX_BODY_BYTES
from commands.routes import Route, WebRequest, WebResponse
from storage.db import database_unreachable, outage_reason

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
CONNECTIONS = web.AppKey("connections", dict)  # platform name -> Connection
DATABASE = web.AppKey("database", DatabaseWatch)


async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process answers, on its event loop, without waiting for a command
    thread; the database as its latest ping found it (bot/liveness.py)."""
    database_ok = await request.app[DATABASE].database_ok()
    connections: dict[str, Connection] = request.app[CONNECTIONS]
    body: dict[str, object] = {
        "database": "ok" if database_ok else "unreachable",
        "platforms": {name: connection.mode for name, connection in connections.items()},
    }
    healthy = database_ok
    for connection in connections.values():
        health = await connection.health()
        body.update(health.details)
        healthy = healthy and health.healthy
    body = {"status": "ok" if healthy else "unavailable", **body}
    return web.json_response(body, status=200 if healthy else 503)


def serve_route(route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The route's handler in a worker thread; 503 while the database is away."""

    async def handle(request: web.Request) -> web.Response:
        runtime = request.app[RUNTIME]
        asked = WebRequest(
            params=dict(request.match_info),
            sessions=runtime.core.sessions,
            now=runtime.core.clock(),
        )
        try:
            answer = await asyncio.to_thread(route.handler, asked)
        except Exception as error:
            if not database_unreachable(error):
                raise
            log.warning(
                "%s not served: the database is unavailable (%s)", route.what, outage_reason(error)
            )
            raise web.HTTPServiceUnavailable(
                text=f"The {route.what} is unavailable; please try again in a minute.\n",
                headers={"Retry-After": "60"},
            ) from None
        return _response(answer)

    return handle


def _response(answer: WebResponse) -> web.Response:
    text_like = answer.content_type.startswith("text/")
    return web.Response(
        body=answer.body,
        status=answer.status,
        content_type=answer.content_type,
        charset="utf-8" if text_like else None,
        headers=dict(answer.headers),
    )


@web.middleware
async def guard_bodies(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Refuse a body announced as too large before reading it."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        refused = web.json_response({"error": "request body too large"}, status=413)
        refused.force_close()  # the body stays unread: no keep-alive after this answer
        return refused
    return await handler(request)


def build_web_app(runtime: Runtime, connections: Mapping[str, Connection]) -> web.Application:
    """``connections``: each platform of the runtime as started in this process, by name."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[guard_bodies])
    app[RUNTIME] = runtime
    app[CONNECTIONS] = dict(connections)
    app[DATABASE] = watch = DatabaseWatch(runtime.engine)
    app.on_cleanup.append(lambda _app: _closed(watch))
    for connection in connections.values():
        connection.mount(app)
    app.router.add_get("/healthz", healthz)
    for route in runtime.core.registry.routes.values():
        app.router.add_get(route.path, serve_route(route))
    add_operations_routes(app, runtime, connections=connections)  # /readyz, /metrics
    return app


async def _closed(watch: DatabaseWatch) -> None:
    watch.close()
