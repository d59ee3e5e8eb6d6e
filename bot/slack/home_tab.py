"""The Home tab: ``app_home_opened`` -> ``views.publish`` of the person's ``home`` Reply.

Slack sends ``app_home_opened`` for the Messages tab too (``tab: messages``); only the Home
tab is published. A button pressed on the Home answers like any other (bot/slack/actions.py),
then the Home is published again, so it shows what the click changed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import identity as identities
from bot.slack.home_view import home_view
from commands.context import Identity
from commands.conversation import HOME_LINE
from commands.core import Core

log = logging.getLogger(__name__)


def pressed_on_home(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


async def publish_home(core: Core, client: AsyncWebClient, who: Identity) -> None:
    reply = await asyncio.to_thread(core.run_line, who, HOME_LINE)
    if reply is None:
        return
    try:
        await client.views_publish(user_id=who.user_id, view=home_view(reply))
    except SlackApiError as error:
        log.warning("could not publish the Home: %s", error.response.get("error"))


def register(app: AsyncApp, core: Core, *, zones: identities.ZoneCache | None = None) -> None:
    async def on_home_opened(body: dict[str, Any], client: AsyncWebClient) -> None:
        event = body.get("event") or {}
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        who = Identity(
            platform=identities.PLATFORM,
            user_id=event["user"],
            workspace_id=body.get("team_id"),
            channel_id=event.get("channel"),
            organisation_id=identities.organisation(body, body.get("team_id")),
        )
        if zones is not None:
            who = await zones.with_timezone(client, who)
        await publish_home(core, client, who)

    app.event("app_home_opened")(on_home_opened)
