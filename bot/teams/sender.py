"""The Teams side of the reminder port: a Reply into a stored conversation or a personal chat.

The dispatcher runs in a worker thread and expects a plain call that returns an outcome; the
proactive sender (``bot.teams.proactive``) is a coroutine that must run on the web process's
event loop, where the SDK adapter and its HTTP sessions live. Each call hands the coroutine
to that loop and waits for it, bounded by a timeout well inside the dispatcher's claim lease,
so that a hung connector cannot leave a claim to lapse while the send is still under way.

Each call is one attempt, as for Slack: the outcome says whether waiting can help. A bot
cannot read a Teams conversation back, so ``find`` cannot tell whether a post whose process
died mid-send arrived: such a post is sent again (at least once after a crash).
- no stored reference (the bot was never there, or the person never chatted with it),
  403 (the bot was removed), 404 (the conversation is gone) and other 4xx: undeliverable;
- 429 (honouring Retry-After), 5xx, timeouts and connection errors: try again later.
"""

from __future__ import annotations

import asyncio
import json
import math
from concurrent.futures import CancelledError
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import aiohttp

from bot.teams.proactive import TeamsSender, UnknownConversation
from commands.port import (
    CannotTell,
    Lookup,
    Mark,
    Outcome,
    RetryLater,
    Sent,
    Target,
    Undeliverable,
)
from commands.reply import Reply

# The dispatcher's claim lasts CHEMCLUST_CLAIM_LEASE_SECONDS (two minutes by default); a send
# must be over well before another process may take the row over.
SEND_TIMEOUT_SECONDS = 30.0
# Statuses after which the same request may well succeed.
PASSING_STATUSES = frozenset({408, 429})
MAX_REASON = 300


class TeamsReminderSender:
    """The dispatcher's port for platform "teams"; call it from any thread but the loop's."""

    failure_hint = "Check that the bot is still in that team or chat and that Teams is reachable."

    def __init__(
        self,
        sender: TeamsSender,
        loop: asyncio.AbstractEventLoop,
        *,
        timeout: float = SEND_TIMEOUT_SECONDS,
    ):
        self.sender = sender
        self.loop = loop
        self.timeout = timeout

    def __call__(self, target: Target, reply: Reply, mark: Mark) -> Outcome:
        if _running_loop() is self.loop:
            # Waiting here for work queued on this very loop would never end.
            raise RuntimeError("TeamsReminderSender must be called from a worker thread")
        if target.is_direct:
            work = self.sender.send_to_person(str(target.conversation["user"]), reply)
        else:
            work = self.sender.send(str(target.conversation["channel"]), reply)
        try:
            future = asyncio.run_coroutine_threadsafe(work, self.loop)
        except RuntimeError:  # the loop is closed: the web process is stopping
            work.close()
            return RetryLater("the web process is stopping")
        try:
            message_id = future.result(timeout=self.timeout)
        except TimeoutError:
            future.cancel()
            return RetryLater(f"Teams did not answer within {self.timeout:g} seconds")
        except CancelledError:
            return RetryLater("the send was cancelled: the web process is stopping")
        except UnknownConversation as error:
            return Undeliverable(_unknown(target, error))
        except aiohttp.ClientResponseError as error:
            return _outcome(error)
        except (aiohttp.ClientError, OSError) as error:
            return RetryLater(f"cannot reach Teams ({type(error).__name__}: {error})"[:MAX_REASON])
        return Sent(message_id[:200] if message_id else None)

    def find(self, target: Target, mark: Mark, *, since: datetime) -> Lookup:
        return CannotTell("a bot cannot read a Teams conversation's messages back")


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _unknown(target: Target, error: UnknownConversation) -> str:
    if target.is_direct:
        return (
            "this person has never chatted with the bot in Teams, so it cannot write to them; "
            "ask them to open a chat with the bot (Apps, then ChemClust) and say hello"
        )
    return (
        f"the bot has no record of Teams conversation {error}; mention the bot there once "
        "(or add it to the team again) so that it can write there"
    )


def _outcome(error: aiohttp.ClientResponseError) -> Outcome:
    status = error.status
    what = f"Teams answered HTTP {status}"
    code = _error_code(error.message)
    if code:
        what += f" ({code})"
    if status == 429:
        return RetryLater(
            f"Teams rate limit (429{f', {code}' if code else ''})",
            after_seconds=retry_after_seconds(error.headers),
        )
    if status >= 500 or status in PASSING_STATUSES:
        return RetryLater(what)
    if 400 <= status < 500:
        if status == 403:
            what += ": the bot is no longer in that conversation, or may not write there"
        elif status == 404:
            what += ": the conversation no longer exists"
        return Undeliverable(what[:MAX_REASON])
    return RetryLater(what)


def _error_code(body: str | None) -> str | None:
    """The Bot Connector's error code from its JSON answer ({"error": {"code": …}})."""
    try:
        parsed = json.loads(body or "")
    except ValueError:
        return None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code)[:80] if code else None


def retry_after_seconds(headers, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (both are allowed by RFC 9110)."""
    raw = (headers or {}).get("Retry-After")
    if not raw:
        return None
    raw = str(raw).strip()
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
