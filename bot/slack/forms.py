"""Modal submissions: per-field errors stay in the modal; results go to the channel.

Slack waits 3 seconds for the answer to a submission. A form whose work is done within the
budget gets its problems shown in the modal, or the modal closes; slower work closes the
modal at once and its result (or its problems) follows as a message, so Slack never shows
an error for a form that was in fact saved. The form's token (``private_metadata``'s
``state``) is used up by the submission that succeeds: a resubmission saves nothing twice.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import commands as slash_commands
from bot.slack import identity as identities
from bot.slack.delivery import post
from bot.slack.events import react
from bot.slack.render import FORM_CALLBACK_PREFIX, form_values
from bot.slack.surface import slack_surface
from commands.core import Core, Submitted
from commands.reply import FormErrors, Paragraph, Reply, text


def register(app: AsyncApp, core: Core, *, zones: identities.ZoneCache | None = None) -> None:
    async def on_submission(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        reply = await submit(core, ack, body, view, client, zones=zones)
        if reply is not None:
            await mark_if_taken(core, client, view)

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
    """Run the form's handler and post its reply; None when nothing was saved."""
    form_id = view["callback_id"].removeprefix(FORM_CALLBACK_PREFIX)
    metadata = json.loads(view.get("private_metadata") or "{}")
    who = identities.from_interaction(body)
    if zones is not None:
        who = await zones.with_timezone(client, who)
    work = asyncio.ensure_future(
        asyncio.to_thread(
            core.submit_form,
            who,
            form_id,
            form_values(view),
            str(metadata.get("state") or ""),
            surface=slack_surface(client, asyncio.get_running_loop()),
        )
    )
    try:
        submitted: Submitted = await asyncio.wait_for(
            asyncio.shield(work), slash_commands.ACK_BUDGET_SECONDS
        )
    except FormErrors as problems:
        await ack(response_action="errors", errors=problems.errors)
        return None
    except TimeoutError:
        await ack()  # close the modal inside Slack's window; the answer follows
        try:
            submitted = await work
        except FormErrors as problems:
            await post(client, who, late_problems(problems))
            return None
    else:
        await ack()
    await post(client, submitted.identity, submitted.reply)
    return submitted.reply


async def mark_if_taken(core: Core, client: AsyncWebClient, view: dict[str, Any]) -> None:
    """A form opened from a message shortcut names its message: once a feature took that
    message (an update logged), it gets the ✅ as if it had been logged by itself."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    channel, ts = metadata.get("channel"), metadata.get("message")
    if not channel or not ts:
        return
    taken = await asyncio.to_thread(core.message_taken, identities.PLATFORM, channel, ts)
    if taken:
        await react(client, channel, ts)


def late_problems(problems: FormErrors) -> Reply:
    """The problems of a submission whose modal had to close before they were known."""
    listed = " ".join(problems.errors.values())
    return Reply(
        private=True,
        parts=(
            Paragraph(text("Your form was not saved: ", listed)),
            Paragraph(text("Please open it again and correct it; nothing was written.")),
        ),
        summary=f"Form not saved: {listed}",
    )
