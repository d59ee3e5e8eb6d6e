"""Posting to a channel on the bot's own initiative (scheduled jobs), outside any request."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings
from bot.slack import render
from commands.reply import Reply


def channel_sender(settings: Settings) -> Callable[[str, Reply], None]:
    """A function that posts a reply to a channel; it raises when Slack refuses.

    Jobs run in worker threads, so this uses the blocking client, with the same retries on
    connection errors, 429 and 5xx as the listeners' client.
    """
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )

    def send(channel_id: str, reply: Reply) -> None:
        client.chat_postMessage(channel=channel_id, **render.message(reply))

    return send
