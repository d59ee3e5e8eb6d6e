"""The Slack side of the reminder port: post to a channel or a direct message, at Slack's pace.

Each call is one attempt; the dispatcher decides about retries from the outcome, so a
rate limit or an outage never blocks a worker thread for long and a retry survives a
restart. Slack asks for no more than one message per second per channel: the sender waits
out the rest of the second before posting to a channel it has just posted to.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.settings import Settings
from bot.slack import render
from commands.reminders.port import Outcome, RetryLater, Sent, Target, Undeliverable
from commands.reply import Reply

log = logging.getLogger(__name__)

PLATFORM = "slack"
SECONDS_PER_MESSAGE_PER_CHANNEL = 1.0
REQUEST_TIMEOUT_SECONDS = 15
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


class SlackSender:
    def __init__(
        self,
        client: WebClient,
        *,
        interval: float = SECONDS_PER_MESSAGE_PER_CHANNEL,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.interval = interval
        self.sleep = sleep
        self.monotonic = monotonic
        self._last_post: dict[str, float] = {}
        self._direct_channels: dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, target: Target, reply: Reply) -> Outcome:
        try:
            channel = self._channel(target)
            self._pace(channel)
            answer = self.client.chat_postMessage(channel=channel, **render.message(reply))
        except SlackApiError as error:
            return _outcome(error)
        except (SlackClientError, urllib.error.URLError, OSError) as error:
            return RetryLater(f"cannot reach Slack ({type(error).__name__}: {error})")
        return Sent(f"{answer.get('channel', channel)}:{answer.get('ts')}")

    def _channel(self, target: Target) -> str:
        if not target.is_direct:
            return str(target.conversation["channel"])
        user = str(target.conversation["user"])
        cached = self._direct_channels.get(user)
        if cached is None:
            opened = self.client.conversations_open(users=user)
            cached = opened["channel"]["id"]
            self._direct_channels[user] = cached
        return cached

    def _pace(self, channel: str) -> None:
        with self._lock:
            last = self._last_post.get(channel)
            now = self.monotonic()
            if last is not None and now - last < self.interval:
                self.sleep(self.interval - (now - last))
            self._last_post[channel] = self.monotonic()


def _outcome(error: SlackApiError) -> Outcome:
    response = error.response
    status = response.status_code
    code = response.get("error") if isinstance(response.data, dict) else None
    if status == 429 or code == "ratelimited":
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        seconds = float(retry_after) if retry_after and str(retry_after).isdigit() else None
        return RetryLater("Slack rate limit (429)", after_seconds=seconds)
    if status >= 500:
        return RetryLater(f"Slack answered HTTP {status} ({code or 'server error'})")
    if code in PERMANENT_ERRORS:
        return Undeliverable(f"Slack refused the message: {code}")
    return RetryLater(f"Slack answered {code or status}")


def slack_sender(settings: Settings) -> SlackSender:
    # No retry handlers: the dispatcher retries from the database, without blocking a thread.
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[],
    )
    return SlackSender(client)
