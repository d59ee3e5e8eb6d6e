"""The Slack side of the reminder port: post to a channel or a direct message, at Slack's pace.

Each call is one attempt; the dispatcher decides about retries from the outcome, so a
rate limit or an outage never blocks a worker thread for long and a retry survives a
restart. Slack asks for no more than one message per second per channel: the sender waits
out the rest of the second before posting to a channel it has just posted to. Several
threads may post through one sender at once, to different conversations (``parallel``).

Every post carries message metadata naming the row it is for (``chemclust_reminder`` with
``reminder_id``, ``chemclust_digest`` with ``digest_id``). ``find`` reads the conversation's
history back (``conversations.history`` with ``include_all_metadata``, which needs the
conversation's ``*:history`` scope) for the bot's own message with that metadata; the
dispatcher asks only after a crash left a post unconfirmed, as history is rate limited.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.settings import Settings
from bot.slack import render
from commands.port import (
    CannotTell,
    Lookup,
    Mark,
    NotFound,
    Outcome,
    RetryLater,
    Sent,
    Target,
    Undeliverable,
)
from commands.reply import Reply
from storage.db import SessionFactory

log = logging.getLogger(__name__)

PLATFORM = "slack"
SECONDS_PER_MESSAGE_PER_CHANNEL = 1.0
REQUEST_TIMEOUT_SECONDS = 15
EVENT_TYPE_PREFIX = "chemclust_"
# Slack stamps a message with its clock, the claim was stamped with ours: look a little
# further back than the claim, so that a clock running ahead cannot hide the message.
CLOCK_MARGIN = timedelta(minutes=1)
HISTORY_PAGE = 200
HISTORY_PAGES = 5
# Errors that waiting will not cure: the channel is gone, the bot was removed, the token is
# wrong, the message itself is malformed.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "restricted_action",
        "msg_too_long",
        "msg_blocks_too_long",
        "invalid_blocks",
        "invalid_blocks_format",
        "no_text",
        "too_many_attachments",
    }
)


# The client that reaches a target's workspace; None when the app is not installed there.
ClientFor = Callable[[Target], WebClient | None]


class NotInstalled(Exception):
    """The target's workspace has no installation of the app (uninstalled, tokens revoked)."""


class SlackSender:
    failure_hint = "Check that the bot is still in that channel and that Slack is reachable."
    # Posts in flight at once (the dispatcher's lanes, one conversation each): Slack answers
    # in tens of milliseconds, so one post at a time would leave the dispatcher waiting.
    parallel = 32

    def __init__(
        self,
        client: WebClient | None = None,
        *,
        client_for: ClientFor | None = None,
        interval: float = SECONDS_PER_MESSAGE_PER_CHANNEL,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        """One workspace's ``client``, or ``client_for`` each target's workspace (OAuth)."""
        self.client_for: ClientFor = client_for or (lambda target: client)
        self.interval = interval
        self.sleep = sleep
        self.monotonic = monotonic
        self._last_post: dict[str, float] = {}
        self._direct_channels: dict[tuple[str | None, str], str] = {}
        self._lock = threading.Lock()
        self._bot_ids: dict[str | None, str] = {}

    def __call__(self, target: Target, reply: Reply, mark: Mark) -> Outcome:
        try:
            client = self._client(target)
            channel = self._channel(client, target)
            self._pace(channel)
            answer = client.chat_postMessage(
                channel=channel, metadata=metadata(mark), **render.message(reply)
            )
        except NotInstalled as missing:
            return Undeliverable(str(missing))
        except SlackApiError as error:
            return _outcome(error)
        except (SlackClientError, urllib.error.URLError) as error:
            # Raised before the request reached Slack whole: nothing was posted.
            return RetryLater(f"cannot reach Slack ({type(error).__name__}: {error})")
        except OSError as error:
            # The request went out but no answer came back (a timeout, a dropped connection):
            # Slack may have posted it.
            return RetryLater(
                f"no answer from Slack ({type(error).__name__}: {error})", unconfirmed=True
            )
        return Sent(f"{answer.get('channel', channel)}:{answer.get('ts')}")

    def find(self, target: Target, mark: Mark, *, since: datetime) -> Lookup:
        """The bot's message carrying ``mark`` in the target's history since ``since``."""
        wanted = metadata(mark)
        oldest = f"{(since - CLOCK_MARGIN).timestamp():.6f}"
        try:
            client = self._client(target)
            channel = self._channel(client, target)
            bot_id = self._own_bot_id(client, target)
            cursor = None
            for _ in range(HISTORY_PAGES):
                page = client.conversations_history(
                    channel=channel,
                    oldest=oldest,
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=cursor,
                )
                for message in page.get("messages") or []:
                    if message.get("bot_id") == bot_id and _carries(message, wanted):
                        return Sent(f"{channel}:{message.get('ts')}")
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not page.get("has_more") or not cursor:
                    return NotFound()
        except NotInstalled as missing:
            return CannotTell(str(missing))
        except SlackApiError as error:
            return _lookup_failure(error)
        except (SlackClientError, OSError) as error:
            return RetryLater(f"cannot reach Slack ({type(error).__name__}: {error})")
        return CannotTell(
            f"more than {HISTORY_PAGES * HISTORY_PAGE} messages in {target.label} since then"
        )

    def _client(self, target: Target) -> WebClient:
        client = self.client_for(target)
        if client is None:
            workspace = target.conversation.get("workspace") or "(none recorded)"
            raise NotInstalled(
                f"the app is not installed in Slack workspace {workspace} any more "
                "(it was uninstalled or its tokens were revoked)"
            )
        return client

    def _own_bot_id(self, client: WebClient, target: Target) -> str:
        """Only the bot's own messages count: another app could post the same metadata."""
        workspace = target.conversation.get("workspace")
        if workspace not in self._bot_ids:
            self._bot_ids[workspace] = str(client.auth_test().get("bot_id") or "")
        return self._bot_ids[workspace]

    def _channel(self, client: WebClient, target: Target) -> str:
        if not target.is_direct:
            return str(target.conversation["channel"])
        key = (target.conversation.get("workspace"), str(target.conversation["user"]))
        cached = self._direct_channels.get(key)
        if cached is None:
            opened = client.conversations_open(users=key[1])
            cached = opened["channel"]["id"]
            self._direct_channels[key] = cached
        return cached

    def _pace(self, channel: str) -> None:
        """Wait for the channel's next free second; the dispatcher posts to other channels
        from other threads meanwhile, so the wait holds only this channel's slot."""
        with self._lock:
            now = self.monotonic()
            last = self._last_post.get(channel)
            slot = now if last is None else max(now, last + self.interval)
            self._last_post[channel] = slot
        if slot > now:
            self.sleep(slot - now)


def metadata(mark: Mark) -> dict[str, Any]:
    """Slack message metadata naming the row a post is for."""
    return {
        "event_type": EVENT_TYPE_PREFIX + mark.kind,
        "event_payload": {f"{mark.kind}_id": mark.id},
    }


def _carries(message: dict[str, Any], wanted: dict[str, Any]) -> bool:
    found = message.get("metadata") or {}
    payload = found.get("event_payload") or {}
    return found.get("event_type") == wanted["event_type"] and all(
        str(payload.get(key)) == str(value) for key, value in wanted["event_payload"].items()
    )


def _error_code(error: SlackApiError) -> str | None:
    response = error.response
    return response.get("error") if isinstance(response.data, dict) else None


def _passing(error: SlackApiError) -> RetryLater | None:
    """A rate limit or a server error, which waiting cures; None for anything else."""
    response = error.response
    status, code = response.status_code, _error_code(error)
    if status == 429 or code == "ratelimited":
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        seconds = float(retry_after) if retry_after and str(retry_after).isdigit() else None
        return RetryLater("Slack rate limit (429)", after_seconds=seconds)
    if status >= 500:
        return RetryLater(f"Slack answered HTTP {status} ({code or 'server error'})")
    return None


def _outcome(error: SlackApiError) -> Outcome:
    passing = _passing(error)
    if passing is not None:
        # A server error may come after the message was posted; a rate limit never does.
        return RetryLater(
            passing.reason, passing.after_seconds, unconfirmed=error.response.status_code >= 500
        )
    code = _error_code(error)
    if code in PERMANENT_ERRORS:
        return Undeliverable(f"Slack refused the message: {code}")
    return RetryLater(f"Slack answered {code or error.response.status_code}")


def _lookup_failure(error: SlackApiError) -> Lookup:
    passing = _passing(error)
    if passing is not None:
        return passing
    code = _error_code(error) or str(error.response.status_code)
    if code == "missing_scope":
        needed = error.response.get("needed") if isinstance(error.response.data, dict) else None
        return CannotTell(
            f"Slack refused to show the conversation's history: the app lacks {needed or 'a'} "
            "scope (give it the manifest's *:history scopes and reinstall it)"
        )
    return CannotTell(f"Slack refused to show the conversation's history: {code}")


def slack_sender(settings: Settings, sessions: SessionFactory | None = None) -> SlackSender:
    """The sender of this process: with OAuth, each target's workspace's own token (read from
    the installations on ``sessions``, or on a connection of its own to the database)."""
    if not settings.slack_oauth:
        return SlackSender(_client(settings, settings.slack_bot_token))
    from bot.slack.installations import SealedInstallationStore
    from storage.db import make_engine, make_session_factory
    from storage.installations import TokenCipher

    sessions = sessions or make_session_factory(make_engine(settings.database_url))
    store = SealedInstallationStore(
        settings.slack_client_id, sessions, TokenCipher(settings.secret_key)
    )
    clients: dict[str, WebClient] = {}

    def client_for(target: Target) -> WebClient | None:
        workspace = target.conversation.get("workspace")
        if not workspace:
            return None
        token = store.bot_token(workspace, target.conversation.get("enterprise"))
        if token is None:
            return None
        if token not in clients:
            clients[token] = _client(settings, token)
        return clients[token]

    return SlackSender(client_for=client_for)


def _client(settings: Settings, token: str) -> WebClient:
    # No retry handlers: the dispatcher retries from the database, without blocking a thread.
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[],
    )
