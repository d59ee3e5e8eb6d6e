"""The web process: aiohttp on $PORT, each configured platform, the scheduled jobs, graceful
shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import metrics
from bot.heap import keep_full_collections_short, limit_malloc_arenas, settle_heap
from bot.jobs import scheduled_jobs
from bot.platforms import Connection
from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from bot.settings import ConfigurationError
from bot.shutdown import stop_gracefully
from bot.web import build_web_app
from commands.offload import use_processes, worker_count

log = logging.getLogger(__name__)
COMMAND_THREADS = 32


@dataclass
class Server:
    runner: web.AppRunner
    # Every platform of the runtime as started here (an "off" one too), by name.
    connections: dict[str, Connection] = field(default_factory=dict)
    scheduler: AsyncIOScheduler | None = None
    metrics_runner: web.AppRunner | None = None  # /metrics on METRICS_PORT

    @property
    def port(self) -> int:
        return self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for connection in self.connections.values():
            await connection.close()
        await self.runner.cleanup()
        if self.metrics_runner is not None:
            await self.metrics_runner.cleanup()


async def start_server(
    runtime: Runtime, *, host: str | None = None, port: int | None = None
) -> Server:
    """Serve the web app, connect the platforms, start the timed jobs.

    Cancelled half-way (a stop signal while Socket Mode connects), it stops what it started.
    """
    settings = runtime.settings
    # Charts and workbooks are drawn in worker processes, so that they never hold up the web
    # loop (commands.offload); the pool starts with the first of them. Threads waiting for
    # them are cheap, and must not be the last ones free: /healthz and every other command
    # need one too (asyncio's default is the number of processors plus four).
    use_processes(worker_count())
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(COMMAND_THREADS, thread_name_prefix="command")
    )
    metrics.watch(runtime)
    connections = {platform.name: platform.start(runtime) for platform in runtime.platforms}
    app = build_web_app(runtime, connections)
    # A body the bot refused unread is drained for at most this long, not aiohttp's 10 s.
    runner = web.AppRunner(app, access_log=None, lingering_time=2.0)
    await runner.setup()
    server = Server(runner=runner, connections=connections)
    try:
        await _listen(runner, host or settings.host, settings.port if port is None else port)
        if settings.metrics_port is not None:
            server.metrics_runner = await _serve_metrics(runtime, host or settings.host)
        for connection in connections.values():
            await connection.connect()
        senders = {
            name: sender
            for name, connection in connections.items()
            if (sender := connection.sender()) is not None
        }
        jobs = scheduled_jobs(runtime, senders=senders)
        if jobs and settings.scheduler_enabled:
            server.scheduler = build_scheduler(jobs)
            server.scheduler.start()
    except BaseException:
        await server.stop()
        raise
    modes = ", ".join(f"{name}: {connection.mode}" for name, connection in connections.items())
    log.info("listening on %s:%s (%s)", host or settings.host, server.port, modes)
    return server


async def _listen(runner: web.AppRunner, host: str, port: int) -> None:
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        raise ConfigurationError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); "
            "set HOST and PORT to a free address"
        ) from None


async def _serve_metrics(runtime: Runtime, host: str) -> web.AppRunner:
    from bot.operations_web import metrics_app

    runner = web.AppRunner(metrics_app(runtime), access_log=None)
    await runner.setup()
    await _listen(runner, host, runtime.settings.metrics_port or 0)
    return runner


async def run_until_stopped(runtime: Runtime) -> None:
    """Check the platforms' credentials, serve, and stop on SIGTERM or SIGINT.

    The signal handlers come first: a stop while the tokens are checked or Socket Mode is
    still connecting ends the process at once instead of waiting for a connection that may
    never come.
    """
    loop = asyncio.get_running_loop()
    serving = asyncio.current_task()
    stopped = asyncio.Event()

    def stop() -> None:
        if not stopped.is_set() and serving is not None:
            stopped.set()
            serving.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    try:
        for platform in runtime.platforms:
            await platform.check_credentials(runtime.settings)
        server = await start_server(runtime)
        log.debug("%d objects at start frozen for the collector", settle_heap())
        keep_full_collections_short()  # and what the first uses of features import later
        try:
            await asyncio.Event().wait()  # until a signal cancels this task
        finally:
            log.info("shutting down")
            if await stop_gracefully(server, runtime):
                _exit_leaving_threads()
    except asyncio.CancelledError:
        if not stopped.is_set():
            raise
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _exit_leaving_threads() -> None:
    """Exit 0 now: work still hanging past the stop's time limit (its claims are released)
    would otherwise hold the interpreter's exit, which waits for every worker thread."""
    logging.shutdown()
    os._exit(0)


def serve(runtime: Runtime) -> None:
    limit_malloc_arenas()  # before the loop's, the pools' and the scheduler's threads start
    asyncio.run(run_until_stopped(runtime))
