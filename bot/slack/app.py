"""Building the Bolt app: verified requests, a Web API client that retries, our listeners."""

from __future__ import annotations

import logging

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import slack
from bot.settings import Settings
from bot.startup import check_slack_settings
from commands.core import Core

log = logging.getLogger(__name__)


def web_client(settings: Settings) -> AsyncWebClient:
    """The app's client; with OAuth it has no token, Bolt gives each request its workspace's."""
    client = AsyncWebClient(token=settings.slack_bot_token or None, base_url=settings.slack_api_url)
    # Connection errors, 429 (honouring Retry-After) and 5xx are retried; Bolt copies these
    # handlers into the per-request clients it hands to listeners.
    client.retry_handlers = [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


def build_slack_app(settings: Settings, core: Core) -> AsyncApp:
    check_slack_settings(settings)
    if settings.slack_oauth:
        from bot.slack.oauth import build_oauth_app

        return build_oauth_app(settings, core)
    app = AsyncApp(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=not settings.slack_socket_mode
        or bool(settings.slack_signing_secret),
        process_before_response=False,
        logger=logging.getLogger("slack_bolt"),
    )
    slack.register(app, core)
    return app
