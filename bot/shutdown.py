"""Stopping the web process gracefully, as a deploy or a platform does (SIGTERM).

In order, within ``CHEMCLUST_STOP_SECONDS`` (25 s by default; platforms kill a process some
30 s after asking it to stop):

1. nothing new is taken on: /readyz answers 503, the timed jobs start no new run and the
   reminder dispatcher claims no further row;
2. the listening socket closes, so the load balancer sends new requests elsewhere, while the
   requests in flight get their answers;
3. the work that outlives its request finishes: a slash command acknowledged with "Working on
   it…" still posts its answer, a file still uploads, a reminder being sent is recorded;
4. every reminder or digest claim this process still holds is released, so another process
   takes it over at its next dispatch instead of after the claim's lease.

What has not finished by then is left (its claim released) and the process exits 0 anyway.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from typing import TYPE_CHECKING

from bot.runtime import Runtime
from storage.claim_release import release_claims

if TYPE_CHECKING:
    from bot.server import Server

log = logging.getLogger(__name__)

# Socket Mode's own loops run as long as its connection does; they are not work in flight.
_SOCKET_MODE_LOOPS = frozenset({"process_messages", "monitor_current_session", "receive_messages"})


async def stop_gracefully(server: Server, runtime: Runtime) -> int:
    """Stop as described above; returns how many pieces of work did not finish in time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + runtime.settings.stop_seconds
    runtime.stopping.set()
    if server.scheduler is not None and server.scheduler.running:
        server.scheduler.pause()
    runner = server.runner
    for site in list(runner.sites):
        await site.stop()  # no new connections; those open finish their request
    if runner.server is not None:
        await runner.server.shutdown(max(0.0, deadline - loop.time()))
    unfinished = await _finish_work(deadline - loop.time())
    released = await asyncio.to_thread(_release, runtime)
    if unfinished or released:
        log.warning(
            "stopped with %s piece(s) of work unfinished after %ss; %s claim(s) released "
            "for other processes",
            unfinished,
            runtime.settings.stop_seconds,
            released,
        )
    await server.stop()
    return unfinished


async def _finish_work(seconds: float) -> int:
    """Wait up to ``seconds`` for the tasks at work (listeners after their acknowledgement,
    timed job runs); the number still running then."""
    current = asyncio.current_task()
    working = [
        task for task in asyncio.all_tasks() if task is not current and not _is_socket_loop(task)
    ]
    if not working:
        return 0
    _, late = await asyncio.wait(working, timeout=max(0.0, seconds))
    return len(late)


def _is_socket_loop(task: asyncio.Task) -> bool:
    code = getattr(task.get_coro(), "cr_code", None)
    return (
        code is not None
        and code.co_name in _SOCKET_MODE_LOOPS
        and "socket_mode" in code.co_filename.replace("\\", "/")
    )


def claimer_prefix() -> str:
    """The start of every claim this process takes (``commands.reminders.once.process_id``:
    host, pid, then a nonce per dispatcher)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:"


def _release(runtime: Runtime) -> int:
    try:
        with runtime.core.sessions.begin() as session:
            return release_claims(
                session=session, claimer_prefix=claimer_prefix(), now=runtime.core.clock()
            )
    except Exception:
        # The database may be the reason for the stop; the claims then lapse with their lease.
        log.warning("reminder claims could not be released; they lapse with their lease")
        return 0
