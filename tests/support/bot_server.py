"""The bot's real web process (aiohttp + Bolt), started on a free port in a background thread."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from bot.platforms import Platform
from bot.runtime import Runtime, build_runtime
from bot.server import Server, start_server
from bot.settings import Settings
from commands.registry import Registry

# How often the in-process bots of the tests look for due reminders: a fraction of the shortest
# interval the environment allows (1 s), so that waiting for "two more rounds" costs half a second.
DISPATCH_SECONDS = 0.25


def dispatch_rounds(count: float) -> None:
    """Let ``count`` rounds of an in-process bot's dispatcher go by."""
    time.sleep(count * DISPATCH_SECONDS)


@dataclass
class RunningBot:
    runtime: Runtime
    url: str
    _loop: asyncio.AbstractEventLoop
    _server: Server
    _thread: threading.Thread

    @property
    def slack_url(self) -> str:
        return self.url + "/slack/events"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._server.stop(), self._loop).result(timeout=10)
        asyncio.run_coroutine_threadsafe(_settle(), self._loop).result(timeout=20)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self.runtime.engine.dispose()


async def _settle() -> None:
    """Let listeners still at work (Bolt runs event listeners after the ack) finish first."""
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current]
    if pending:
        _, late = await asyncio.wait(pending, timeout=10)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_default_executor()


def start_bot(
    settings: Settings,
    *,
    registry: Registry | None = None,
    platforms: tuple[Platform, ...] | None = None,
) -> RunningBot:
    """Start the web process; ``registry`` lets a test add commands to exercise the adapter,
    ``platforms`` plug in a platform of its own."""
    runtime = build_runtime(settings, registry=registry, platforms=platforms)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    started: Future[Server] = asyncio.run_coroutine_threadsafe(
        start_server(runtime, host="127.0.0.1", port=0), loop
    )
    server = started.result(timeout=20)
    return RunningBot(runtime, f"http://127.0.0.1:{server.port}", loop, server, thread)
