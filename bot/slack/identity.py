"""Who sent a Slack payload, in the platform-neutral terms of ``commands``, with their zone."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from commands.context import Identity, valid_timezone

log = logging.getLogger(__name__)

PLATFORM = "slack"


def from_command(body: dict[str, Any]) -> Identity:
    return Identity(
        platform=PLATFORM,
        user_id=body["user_id"],
        workspace_id=body.get("team_id"),
        channel_id=body.get("channel_id"),
        user_name=body.get("user_name"),
        organisation_id=organisation(body, body.get("team_id")),
    )


def organisation(body: dict[str, Any], workspace_id: str | None) -> str | None:
    """The Enterprise Grid org of ``workspace_id`` as the payload tells it: only when that is
    the workspace the payload came from (a Slack Connect guest's org is not the one given)."""
    if not workspace_id:
        return None
    team = body.get("team")
    team_id = body.get("team_id") or (team.get("id") if isinstance(team, dict) else team)
    if team_id != workspace_id:
        return None
    enterprise = body.get("enterprise")
    found = body.get("enterprise_id") or (
        enterprise.get("id") if isinstance(enterprise, dict) else enterprise
    )
    for authorization in body.get("authorizations") or ():
        found = found or authorization.get("enterprise_id")
    return str(found) if found else None


def author_team(body: dict[str, Any], *messages: dict[str, Any]) -> str | None:
    """The workspace of a message's author: in a channel shared between workspaces (Slack
    Connect) their own (``user_team``), not the one whose installation received the event."""
    for message in messages:
        if message.get("user_team"):
            return str(message["user_team"])
    return body.get("team_id")


def from_interaction(body: dict[str, Any]) -> Identity:
    """Block actions and view submissions carry the person under ``user``, with their own
    workspace (in a shared channel, it may not be the one the app answers from)."""
    user = body.get("user", {})
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    workspace = user.get("team_id") or team.get("id")
    return Identity(
        platform=PLATFORM,
        user_id=user["id"],
        workspace_id=workspace,
        channel_id=channel.get("id"),
        user_name=user.get("username") or user.get("name"),
        organisation_id=organisation(body, workspace),
    )


# Time zones ---------------------------------------------------------------------------------

# Slack profiles rarely change zone; an hour keeps users.info calls to about one per person.
ZONE_TTL_SECONDS = 3600.0
# Looking a zone up must never cost the 3-second answer window: give up quickly.
ZONE_LOOKUP_SECONDS = 0.5


class ZoneCache:
    """People's IANA time zones from ``users.info`` (``tz``), remembered for a while."""

    def __init__(
        self,
        *,
        ttl: float = ZONE_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl
        self.clock = clock
        self._zones: dict[tuple[str | None, str], tuple[str | None, float]] = {}

    async def with_timezone(self, client: AsyncWebClient, identity: Identity) -> Identity:
        """The identity with its ``timezone`` filled in when Slack tells it."""
        if identity.timezone:
            return identity
        zone = await self.timezone(client, identity)
        return replace(identity, timezone=zone) if zone else identity

    async def timezone(self, client: AsyncWebClient, identity: Identity) -> str | None:
        key = (identity.workspace_id, identity.user_id)
        cached = self._zones.get(key)
        if cached is not None and cached[1] > self.clock():
            return cached[0]
        try:
            answer = await asyncio.wait_for(
                client.users_info(user=identity.user_id), ZONE_LOOKUP_SECONDS
            )
            zone = valid_timezone((answer.get("user") or {}).get("tz"))
        except Exception as error:
            # Without the person's zone the group's is used; not worth failing a command for.
            log.info("no time zone for %s: %s", identity.user_id, type(error).__name__)
            return cached[0] if cached is not None else None
        self._zones[key] = (zone, self.clock() + self.ttl)
        return zone
