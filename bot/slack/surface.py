"""What Slack can do for a command: tell whether the bot is in a channel, and how to invite it.

``conversations.info`` answers ``is_member`` (scopes ``channels:read`` / ``groups:read``); a
private channel the bot is not in is ``channel_not_found`` to it. A public channel can take
the bot's posts without it when the app has ``chat:write.public`` (Slack lists the token's
scopes in the ``X-OAuth-Scopes`` header of every answer). Commands ask from their worker
thread; the question runs on the web loop, and an answer that does not come in time counts
as "cannot tell", never as a refusal.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from commands.surface import Reach, Surface

log = logging.getLogger(__name__)

INVITE_COMMAND = "/invite @ChemClust"
INVITE_HINT = (
    f"Invite me first: type {INVITE_COMMAND} in the channel "
    "(or open the channel's details, Integrations, Add apps)."
)
# Slack tells the bot each person's zone from their profile.
OWN_TIMEZONE = "your Slack time zone"
REACH_LOOKUP_SECONDS = 1.5
# What Slack says about channels the bot cannot see at all.
_OUT_OF_SIGHT = {"channel_not_found", "not_in_channel"}


def slack_surface(client: AsyncWebClient, loop: asyncio.AbstractEventLoop) -> Surface:
    def reach(channel_id: str) -> Reach:
        future = asyncio.run_coroutine_threadsafe(_reach(client, channel_id), loop)
        try:
            return future.result(timeout=REACH_LOOKUP_SECONDS)
        except Exception as error:
            future.cancel()
            log.warning("could not tell whether the bot is in %s: %r", channel_id, error)
            return Reach.UNKNOWN

    return Surface(
        reach=reach,
        invite_hint=INVITE_HINT,
        invite_command=INVITE_COMMAND,
        own_timezone=OWN_TIMEZONE,
    )


async def _reach(client: AsyncWebClient, channel_id: str) -> Reach:
    if channel_id.startswith("D"):
        return Reach.MEMBER  # a direct message with the bot: it is always there
    try:
        answer = await client.conversations_info(channel=channel_id)
    except SlackApiError as error:
        code = error.response.get("error")
        if code in _OUT_OF_SIGHT:
            return Reach.OUTSIDE
        log.warning("conversations.info refused for %s: %s", channel_id, code)
        return Reach.UNKNOWN
    channel = answer.get("channel") or {}
    if channel.get("is_member"):
        return Reach.MEMBER
    headers = {name.lower(): value for name, value in (answer.headers or {}).items()}
    scopes = {scope.strip() for scope in str(headers.get("x-oauth-scopes", "")).split(",")}
    if not channel.get("is_private") and "chat:write.public" in scopes:
        return Reach.POSTS
    return Reach.OUTSIDE
