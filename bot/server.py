"""The web process: aiohttp on $PORT, Slack over HTTP or Socket Mode, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.jobs import scheduled_jobs
from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from bot.slack.app import build_slack_app
from bot.web import build_web_app
from commands.reminders.port import Sender

if TYPE_CHECKING:
    from bot.teams.app import TeamsBot

log = logging.getLogger(__name__)


@dataclass
class Server:
    runner: web.AppRunner
    socket_mode: object | None = None
    scheduler: AsyncIOScheduler | None = None
    teams: object | None = None  # bot.teams.app.TeamsBot when Teams is on (its proactive sender)

    @property
    def port(self) -> int:
        return self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.socket_mode is not None:
            await self.socket_mode.close_async()  # type: ignore[attr-defined]
        await self.runner.cleanup()


async def start_server(
    runtime: Runtime, *, host: str | None = None, port: int | None = None
) -> Server:
    settings = runtime.settings
    slack_app = build_slack_app(settings, runtime.core) if settings.slack_enabled else None
    teams = None
    if settings.teams_mode != "off":
        # The Agents SDK is loaded only here, so Slack-only deployments never pay for it.
        from bot.teams.app import build_teams

        teams = build_teams(runtime)
    app = build_web_app(
        runtime, slack_app=slack_app, teams_app=teams.web_app if teams is not None else None
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host or settings.host, settings.port if port is None else port)
    await site.start()
    server = Server(runner=runner, teams=teams)
    if slack_app is not None and settings.slack_socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        server.socket_mode = AsyncSocketModeHandler(slack_app, settings.slack_app_token)
        await server.socket_mode.connect_async()  # type: ignore[attr-defined]
    jobs = scheduled_jobs(runtime, teams=_teams_reminders(teams))
    if jobs and settings.scheduler_enabled:
        server.scheduler = build_scheduler(jobs)
        server.scheduler.start()
    mode = "socket mode" if server.socket_mode else ("HTTP" if slack_app else "off")
    log.info(
        "listening on %s:%s (Slack: %s, Teams: %s)",
        host or settings.host,
        server.port,
        mode,
        settings.teams_mode,
    )
    return server


def _teams_reminders(teams: TeamsBot | None) -> Sender | None:
    """Teams' reminder port: the proactive sender, reached from the dispatcher's worker thread
    on this (the running) event loop, where the Teams adapter lives."""
    if teams is None:
        return None
    from bot.teams.sender import TeamsReminderSender

    return TeamsReminderSender(teams.sender, asyncio.get_running_loop())


async def run_until_stopped(runtime: Runtime) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    server = await start_server(runtime)
    try:
        await stop.wait()
    finally:
        log.info("shutting down")
        await server.stop()


def serve(runtime: Runtime) -> None:
    asyncio.run(run_until_stopped(runtime))
