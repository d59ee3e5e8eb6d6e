"""Modal submissions: per-field errors stay in the modal; results go to the channel."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import identity as identities
from bot.slack.delivery import post
from bot.slack.render import FORM_CALLBACK_PREFIX, form_values
from commands.core import Core
from commands.reply import FormErrors, Reply


def register(app: AsyncApp, core: Core, *, zones: identities.ZoneCache | None = None) -> None:
    async def on_submission(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await submit(core, ack, body, view, client, zones=zones)

    app.view(re.compile("^" + re.escape(FORM_CALLBACK_PREFIX)))(on_submission)


async def submit(
    core: Core,
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    *,
    zones: identities.ZoneCache | None = None,
) -> Reply | None:
    """Run the form's handler and post its reply; None when the modal stays open with errors."""
    form_id = view["callback_id"].removeprefix(FORM_CALLBACK_PREFIX)
    metadata = json.loads(view.get("private_metadata") or "{}")
    who = replace(identities.from_interaction(body), channel_id=metadata.get("channel") or None)
    if zones is not None:
        who = await zones.with_timezone(client, who)
    try:
        reply = await asyncio.to_thread(
            core.submit_form, who, form_id, form_values(view), metadata.get("state", "")
        )
    except FormErrors as problems:
        await ack(response_action="errors", errors=problems.errors)
        return None
    await ack()
    await post(client, who, reply)
    return reply
