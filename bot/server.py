"""The web process: aiohttp on $PORT, Slack over HTTP or Socket Mode, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.jobs import scheduled_jobs
from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from bot.settings import ConfigurationError
from bot.slack.app import build_slack_app
from bot.startup import check_slack_tokens
from bot.web import build_web_app
from commands import offload
from commands.reminders.port import Sender

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.teams.app import TeamsBot

log = logging.getLogger(__name__)
# Socket Mode's own logger (bot.logs turns its connection failures into one line each).
SOCKET_MODE_LOGGER = "slack_sdk.socket_mode.aiohttp"
OFFLOAD_PROCESSES = 2
COMMAND_THREADS = 32


@dataclass
class Server:
    runner: web.AppRunner
    socket_mode: AsyncSocketModeHandler | None = None
    scheduler: AsyncIOScheduler | None = None
    teams: object | None = None  # bot.teams.app.TeamsBot when Teams is on (its proactive sender)

    @property
    def port(self) -> int:
        return self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.socket_mode is not None:
            await self.socket_mode.close_async()
        await self.runner.cleanup()


async def start_server(
    runtime: Runtime, *, host: str | None = None, port: int | None = None
) -> Server:
    """Serve the web app, connect Socket Mode, start the timed jobs.

    Cancelled half-way (a stop signal while Socket Mode connects), it stops what it started.
    """
    settings = runtime.settings
    # Charts and workbooks are drawn in worker processes, so that they never hold up the web
    # loop (commands.offload); the pool starts with the first of them. Threads waiting for
    # them are cheap, and must not be the last ones free: /healthz and every other command
    # need one too (asyncio's default is the number of processors plus four).
    offload.use_processes(OFFLOAD_PROCESSES)
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(COMMAND_THREADS, thread_name_prefix="command")
    )
    slack_app = build_slack_app(settings, runtime.core) if settings.slack_enabled else None
    teams = None
    if settings.teams_mode != "off":
        # The Agents SDK is loaded only here, so Slack-only deployments never pay for it.
        from bot.teams.app import build_teams

        teams = build_teams(runtime)
    socket_mode = None
    if slack_app is not None and settings.slack_socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_mode = AsyncSocketModeHandler(
            slack_app, settings.slack_app_token, logger=logging.getLogger(SOCKET_MODE_LOGGER)
        )
    app = build_web_app(
        runtime,
        slack_app=slack_app,
        teams_app=teams.web_app if teams is not None else None,
        socket_mode=socket_mode,
    )
    # A body the bot refused unread is drained for at most this long, not aiohttp's 10 s.
    runner = web.AppRunner(app, access_log=None, lingering_time=2.0)
    await runner.setup()
    server = Server(runner=runner, teams=teams, socket_mode=socket_mode)
    try:
        await _listen(runner, host or settings.host, settings.port if port is None else port)
        if socket_mode is not None:
            await socket_mode.connect_async()
        jobs = scheduled_jobs(runtime, teams=_teams_reminders(teams))
        if jobs and settings.scheduler_enabled:
            server.scheduler = build_scheduler(jobs)
            server.scheduler.start()
    except BaseException:
        await server.stop()
        raise
    mode = "socket mode" if server.socket_mode else ("HTTP" if slack_app else "off")
    log.info(
        "listening on %s:%s (Slack: %s, Teams: %s)",
        host or settings.host,
        server.port,
        mode,
        settings.teams_mode,
    )
    return server


async def _listen(runner: web.AppRunner, host: str, port: int) -> None:
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        raise ConfigurationError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); "
            "set HOST and PORT to a free address"
        ) from None


def _teams_reminders(teams: TeamsBot | None) -> Sender | None:
    """Teams' reminder port: the proactive sender, reached from the dispatcher's worker thread
    on this (the running) event loop, where the Teams adapter lives."""
    if teams is None:
        return None
    from bot.teams.sender import TeamsReminderSender

    return TeamsReminderSender(teams.sender, asyncio.get_running_loop())


async def run_until_stopped(runtime: Runtime) -> None:
    """Check the Slack tokens, serve, and stop on SIGTERM or SIGINT.

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
        await check_slack_tokens(runtime.settings)
        server = await start_server(runtime)
        try:
            await asyncio.Event().wait()  # until a signal cancels this task
        finally:
            log.info("shutting down")
            await server.stop()
    except asyncio.CancelledError:
        if not stopped.is_set():
            raise
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def serve(runtime: Runtime) -> None:
    asyncio.run(run_until_stopped(runtime))
