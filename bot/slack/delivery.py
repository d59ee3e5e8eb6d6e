"""Sending replies that do not fit in an HTTP response: files, follow-ups, posts."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import render
from commands.context import Identity
from commands.reply import Reply

log = logging.getLogger(__name__)

_NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found"}


async def upload_files(client: AsyncWebClient, identity: Identity, reply: Reply) -> None:
    """Upload the reply's files: to the channel for public replies, privately otherwise.

    Slack has no private file in a channel, so private files go to a direct message.
    """
    if not reply.files:
        return
    channel = identity.channel_id if not reply.private else await _direct_channel(client, identity)
    for attachment in reply.files:
        try:
            await client.files_upload_v2(
                channel=channel,
                content=attachment.content,
                filename=attachment.filename,
                title=attachment.title or attachment.filename,
            )
        except SlackApiError as error:
            if reply.private or error.response.get("error") not in {
                "not_in_channel",
                "channel_not_found",
            }:
                raise
            # The bot is not in that channel; the person still gets the file, privately.
            await client.files_upload_v2(
                channel=await _direct_channel(client, identity),
                content=attachment.content,
                filename=attachment.filename,
                title=attachment.title or attachment.filename,
                initial_comment="I am not a member of that channel, so here it is privately.",
            )


async def _direct_channel(client: AsyncWebClient, identity: Identity) -> str:
    opened = await client.conversations_open(users=identity.user_id)
    return opened["channel"]["id"]


async def post(client: AsyncWebClient, identity: Identity, reply: Reply) -> None:
    """Post a reply in the person's channel (privately if the reply is private)."""
    payload = render.message(reply)
    channel = identity.channel_id or await _direct_channel(client, identity)
    if reply.private:
        await client.chat_postEphemeral(channel=channel, user=identity.user_id, **payload)
    else:
        await client.chat_postMessage(channel=channel, **payload)
    await upload_files(client, identity, reply)
