"""Text written to the bot in Slack, run as a command line: direct messages and mentions.

A direct message (its Messages tab) is answered in that conversation with
``chat.postMessage``: the conversation is already private. A mention in a channel is answered
in the thread of the mention; answers that are private anywhere else stay private there, as an
ephemeral message to the person who asked. The event's ``event_id`` is claimed with the
command's work, so a redelivery (``x-slack-retry-num``) is answered once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import identity as identities
from bot.slack import render
from bot.slack.delivery import post, upload_files
from bot.slack.message_text import command_text, without_leading_mention
from bot.slack.surface import slack_surface
from commands.context import Identity
from commands.conversation import answer_written
from commands.core import Core
from commands.reply import Reply

log = logging.getLogger(__name__)


def is_direct_message(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


async def answer(
    core: Core,
    client: AsyncWebClient,
    body: dict[str, Any],
    who: Identity,
    *,
    bot_user_id: str | None,
    zones: identities.ZoneCache | None = None,
) -> None:
    """Run what was written to the bot as a command line and answer where it was written."""
    event = body.get("event") or {}
    if zones is not None:
        who = await zones.with_timezone(client, who)
    written, mentions = command_text(without_leading_mention(event.get("text", ""), bot_user_id))
    reply = await asyncio.to_thread(
        answer_written,
        core,
        who,
        written,
        mentions=mentions,
        surface=slack_surface(client, asyncio.get_running_loop()),
        delivery_id=body.get("event_id"),
    )
    if reply is None:
        log.info("Slack redelivered event %s; it was answered already", body.get("event_id"))
    elif is_direct_message(event):
        await post(client, who, replace(reply, private=False))  # the conversation is private
    else:
        await _answer_in_thread(client, event, who, reply)


async def _answer_in_thread(
    client: AsyncWebClient, event: dict[str, Any], who: Identity, reply: Reply
) -> None:
    thread = event.get("thread_ts") or event["ts"]
    payload = render.message(reply)
    if reply.private:
        await client.chat_postEphemeral(
            channel=event["channel"], user=who.user_id, thread_ts=thread, **payload
        )
    else:
        await client.chat_postMessage(channel=event["channel"], thread_ts=thread, **payload)
    await upload_files(client, who, reply)
