"""``/readyz``: may this process be sent traffic? (``/healthz`` only says that it answers.)

Ready means: not stopping, the database answers, its schema is at this version's migrations,
and Slack accepts the bot token (asked at most every ``SLACK_RECHECK_SECONDS``, as a load
balancer probes every few seconds and Slack limits calls). A Socket Mode process must also
hold its connection. Teams' credentials are checked by Microsoft on each call and are shown,
not probed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bot.checks.slack_auth import SlackAnswer, ask_slack
from bot.runtime import Runtime
from storage.db import ping
from storage.migrate import current_revisions, head_revisions, is_current

SLACK_RECHECK_SECONDS = 30.0


@dataclass
class Readiness:
    runtime: Runtime
    # The migration files' heads as Alembic reads them, once it has had to be asked.
    _heads: set[str] | None = None
    _slack: tuple[float, SlackAnswer] | None = None

    async def check(self, *, socket_connected: bool | None = None) -> tuple[bool, dict]:
        if self.runtime.stopping.is_set():
            return False, {"status": "stopping"}
        body: dict[str, object] = {}
        database_ok = await asyncio.to_thread(ping, self.runtime.engine)
        body["database"] = "ok" if database_ok else "unreachable"
        migrated = database_ok and await asyncio.to_thread(self._migrated)
        if database_ok:
            body["migrations"] = "done" if migrated else "pending"
        ready = database_ok and migrated
        if self.runtime.settings.slack_enabled:
            slack = await self._slack_answer()
            body["slack"] = _slack_state(slack)
            ready = ready and slack.accepted
        if socket_connected is not None:
            body["socket_mode"] = "connected" if socket_connected else "not connected"
            ready = ready and socket_connected
        body["teams"] = self.runtime.settings.teams_mode
        return ready, {"status": "ready" if ready else "not ready", **body}

    def _migrated(self) -> bool:
        try:
            with self.runtime.engine.connect() as connection:
                if is_current(connection):
                    return True
            # Behind, or a migration file not read plainly: Alembic decides. It is imported
            # only then, so a process on a current schema never loads it (issue 14).
            if self._heads is None:
                self._heads = head_revisions()
            return current_revisions(self.runtime.engine) == self._heads
        except Exception:
            return False

    async def _slack_answer(self) -> SlackAnswer:
        now = time.monotonic()
        if self._slack is not None and now - self._slack[0] < SLACK_RECHECK_SECONDS:
            return self._slack[1]
        answer = await ask_slack(self.runtime.settings)
        self._slack = (now, answer)
        return answer


def _slack_state(answer: SlackAnswer) -> str:
    if answer.accepted:
        return "ok"
    if answer.error:
        return f"token refused ({answer.error})"
    return f"unreachable ({answer.unreachable})"
