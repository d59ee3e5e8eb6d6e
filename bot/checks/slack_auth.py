"""Asking Slack about the bot token: ``auth.test`` and the scopes Slack says it carries.

Slack answers every Web API call with the token's granted scopes in the ``X-OAuth-Scopes``
header; the manifest in this repository lists the scopes the bot needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings

# auth.test answers in well under a second; a probe must not hang on a slow network.
ASK_SECONDS = 5


@dataclass(frozen=True)
class SlackAnswer:
    """What Slack said about the token: accepted (with its scopes), refused, or nothing."""

    accepted: bool
    error: str | None = None  # Slack's reason for refusing (invalid_auth, token_revoked, …)
    unreachable: str | None = None  # why Slack could not be asked
    is_bot: bool = False
    scopes: frozenset[str] | None = None  # None: Slack did not say
    team: str | None = None


async def ask_slack(settings: Settings) -> SlackAnswer:
    import aiohttp
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import web_client

    client = web_client(settings)
    client.timeout = ASK_SECONDS
    client.retry_handlers = []  # a probe reports what it sees, it does not insist
    try:
        answer = await client.auth_test()
    except SlackApiError as refused:
        status, reason = refused.response.status_code, refused.response.get("error")
        if status != 200 or not reason:
            return SlackAnswer(False, unreachable=f"HTTP {status}")
        return SlackAnswer(False, error=str(reason))
    except (TimeoutError, OSError, aiohttp.ClientError, ValueError) as error:
        return SlackAnswer(False, unreachable=type(error).__name__)
    header = _header(answer.headers, "x-oauth-scopes")
    scopes = None if header is None else frozenset(s.strip() for s in header.split(",") if s)
    return SlackAnswer(
        True,
        is_bot=bool(answer.get("bot_id")),
        scopes=scopes,
        team=answer.get("team"),
    )


def _header(headers: dict, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) else value
    return None
