"""The operators' routes: /readyz, and /metrics when it is on (CHEMCLUST_METRICS or its own
port, METRICS_PORT)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from aiohttp import web

from bot import metrics
from bot.platforms import Connection
from bot.readiness import Readiness
from bot.runtime import Runtime

READINESS = web.AppKey("readiness", Readiness)
METRICS_RUNTIME = web.AppKey("metrics_runtime", Runtime)


def add_operations_routes(
    app: web.Application, runtime: Runtime, *, connections: Mapping[str, Connection]
) -> None:
    """/readyz always; /metrics on this app unless metrics have a port of their own."""
    app[READINESS] = Readiness(runtime)

    async def readyz(request: web.Request) -> web.Response:
        ready, body = await request.app[READINESS].check()
        if body.get("status") == "stopping":
            return web.json_response(body, status=503)
        # Each platform's own connection (a Socket Mode WebSocket) must hold too.
        for connection in connections.values():
            health = await connection.health()
            body.update(health.details)
            ready = ready and health.healthy
        body["status"] = "ready" if ready else "not ready"
        return web.json_response(body, status=200 if ready else 503)

    app.router.add_get("/readyz", readyz)
    if runtime.settings.metrics_enabled and runtime.settings.metrics_port is None:
        _add_metrics(app, runtime)


def metrics_app(runtime: Runtime) -> web.Application:
    """The application served on METRICS_PORT: /metrics only."""
    app = web.Application()
    _add_metrics(app, runtime)
    return app


def _add_metrics(app: web.Application, runtime: Runtime) -> None:
    app[METRICS_RUNTIME] = runtime
    app.router.add_get("/metrics", _metrics)


async def _metrics(request: web.Request) -> web.Response:
    body, content_type = await asyncio.to_thread(metrics.exposition, request.app[METRICS_RUNTIME])
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type
    return response
