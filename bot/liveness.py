"""What ``/healthz`` says of the database: the latest answer of a ping made aside.

``/healthz`` is the liveness probe (a supervisor restarts a process that fails it): it says
that the process answers, and, as it always has, whether its database does. It must answer
at once even while every command thread is busy: a probe that waits behind charts looks
like a hung process. So it never waits for a database round trip while a recent ping said
"ok": it answers from that ping, and starts the next one (on a thread of its own, never
queued behind commands) once the answer is a second old.

It does wait for a ping when there is no recent "ok": at start, after a failed ping, and
as soon as any work on the engine met the database away (SQLAlchemy's ``handle_error``
event, with ``storage.db.database_unreachable``). A request failing for lack of a database
is therefore followed by a ``/healthz`` that asks the database itself, as before.
``/readyz`` (bot/readiness.py) still asks the database on every call.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, event

from storage.db import database_unreachable, ping

# A ping that said "ok" at most this long ago is told as it is …
FRESH_SECONDS = 10.0
# … and once it is this old, the next one starts (the probe does not wait for it).
REFRESH_SECONDS = 1.0


class DatabaseWatch:
    """The database as ``/healthz`` tells it; one per web app (``close`` on its cleanup)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.monotonic):
        self._engine = engine
        self._clock = clock
        self._ok_at: float | None = None  # when a ping last said "ok", unless failed since
        self._failures = 0  # outages noticed so far: a ping begun before one does not count
        self._ping: asyncio.Future[bool] | None = None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="healthz")
        event.listen(engine, "handle_error", self._on_error)

    async def database_ok(self) -> bool:
        ok_at = self._ok_at
        if ok_at is not None:
            age = self._clock() - ok_at
            if age < FRESH_SECONDS:
                if age >= REFRESH_SECONDS:
                    self._pinging()
                return True
        return await asyncio.shield(self._pinging())

    def _pinging(self) -> asyncio.Future[bool]:
        """The ping under way, or a new one: probes arriving together share one."""
        if self._ping is None or self._ping.done():
            self._ping = asyncio.ensure_future(self._ping_once())
        return self._ping

    async def _ping_once(self) -> bool:
        failures = self._failures
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(self._thread, ping, self._engine)
        if ok and failures == self._failures:
            self._ok_at = self._clock()
        elif not ok:
            self._ok_at = None
        return ok

    def _on_error(self, context) -> None:
        """Any statement or connection on the engine failed: if for want of a database, the
        next probe asks it again instead of repeating the last "ok"."""
        error = context.sqlalchemy_exception or context.original_exception
        if context.is_disconnect or database_unreachable(error):
            self._failures += 1
            self._ok_at = None

    def close(self) -> None:
        event.remove(self._engine, "handle_error", self._on_error)
        self._thread.shutdown(wait=False, cancel_futures=True)
