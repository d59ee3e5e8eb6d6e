"""Buttons: every action the command core registered, answered through ``response_url``."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import identity as identities
from bot.slack import render
from bot.slack.delivery import post, upload_files
from bot.slack.home_tab import pressed_on_home, publish_home
from bot.slack.modals import PRESS_AGAIN, open_modal, too_late
from commands.core import Core

# The renderer adds "#n" to repeated action ids in one block; the core knows the bare id.
_SUFFIX = re.compile(r"#\d+$")


def register(app: AsyncApp, core: Core, *, zones: identities.ZoneCache | None = None) -> None:
    async def on_action(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        who = identities.from_interaction(body)
        if zones is not None:
            who = await zones.with_timezone(client, who)
        action_id = _SUFFIX.sub("", action["action_id"])
        trigger = body.get("trigger_id")
        reply = await asyncio.to_thread(
            core.run_action, who, action_id, action.get("value", ""), can_open_forms=bool(trigger)
        )
        if reply is not None and reply.form is not None and trigger:
            if await open_modal(client, trigger, reply.form, {}):
                return
            reply = too_late(PRESS_AGAIN)
        if body.get("response_url"):
            await respond(replace_original=False, **render.command_response(reply))
            await upload_files(client, who, reply)
        elif pressed_on_home(body):
            # The Home is no conversation: the answer goes to the person's direct messages.
            await post(client, replace(who, channel_id=None), replace(reply, private=False))
            await publish_home(core, client, who)
        else:
            await post(client, who, reply)

    for action_id in core.registry.actions:
        app.action(re.compile(rf"^{re.escape(action_id)}(#\d+)?$"))(on_action)
