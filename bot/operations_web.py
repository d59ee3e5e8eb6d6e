"""The operators' routes: /readyz, and /metrics when it is on (CHEMCLUST_METRICS or its own
port, METRICS_PORT)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot import metrics
from bot.readiness import Readiness
from bot.runtime import Runtime

READINESS = web.AppKey("readiness", Readiness)
METRICS_RUNTIME = web.AppKey("metrics_runtime", Runtime)


def add_operations_routes(app: web.Application, runtime: Runtime, *, socket_mode=None) -> None:
    """/readyz always; /metrics on this app unless metrics have a port of their own."""
    app[READINESS] = Readiness(runtime)

    async def readyz(request: web.Request) -> web.Response:
        connected = await socket_mode.client.is_connected() if socket_mode is not None else None
        ready, body = await request.app[READINESS].check(socket_connected=connected)
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
