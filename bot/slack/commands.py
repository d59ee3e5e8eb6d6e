"""Slash commands: answer inside Slack's 3-second window, or acknowledge and follow up."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import logs, metrics
from bot.slack import identity as identities
from bot.slack import render
from bot.slack.delivery import upload_files
from bot.slack.message_text import command_text
from bot.slack.modals import open_modal, too_late
from bot.slack.surface import slack_surface
from commands.core import Core
from commands.reply import Reply

log = logging.getLogger(__name__)

# Slack gives 3 s; answering in the acknowledgement is nicest, but never at the deadline's risk.
ACK_BUDGET_SECONDS = 2.0
WORKING = "Working on it…"


def register(app: AsyncApp, core: Core, *, zones: identities.ZoneCache | None = None) -> None:
    async def on_command(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await handle_command(core, ack, body, respond, client, zones=zones)

    for name in core.registry.commands:
        app.command(f"/{name}")(on_command)


async def handle_command(
    core: Core,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    *,
    zones: identities.ZoneCache | None = None,
) -> None:
    # One budget from here to the acknowledgement: the time-zone lookup spends from it too,
    # so a slow users.info on a busy machine cannot push the answer past Slack's 3 s (Bolt
    # then answers "unhandled request" itself).
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ACK_BUDGET_SECONDS
    who = identities.from_command(body)
    if zones is not None:
        who = await zones.with_timezone(client, who)
    name = body["command"].lstrip("/")
    logs.tag(command=name, workspace=who.workspace_id)
    arguments, mentions = command_text(body.get("text") or "")
    surface = slack_surface(client, loop)
    work = asyncio.ensure_future(
        asyncio.to_thread(
            core.run_command,
            who,
            name,
            arguments,
            can_open_forms=True,
            mentions=mentions,
            surface=surface,
        )
    )
    try:
        reply: Reply = await asyncio.wait_for(
            asyncio.shield(work), max(deadline - loop.time(), 0.0)
        )
    except TimeoutError:
        metrics.ACKS_DEFERRED.labels(platform="slack").inc()
        await ack(response_type="ephemeral", text=WORKING)
        reply = await work
        # A slow answer may still open its form: the trigger id outlives the acknowledgement
        # by a little. When it has expired, the person is told to type the command again.
        if reply.form is not None and body.get("trigger_id"):
            if not await open_modal(client, body["trigger_id"], reply.form, {}):
                answer = too_late(f"Type /{name} again to open it.")
                await respond(replace_original=False, **render.command_response(answer))
            return
        await respond(replace_original=False, **render.command_response(reply))
        await upload_files(client, who, reply)
        return
    if reply.form is not None and body.get("trigger_id"):
        await ack()
        # Within the acknowledgement the trigger is fresh: a refusal here is an error.
        await open_modal(client, body["trigger_id"], reply.form, {})
        return
    await ack(**render.command_response(reply))
    await upload_files(client, who, reply)
