"""Files sent to the bot in a direct message: download, hand to ``commands``, answer.

The core asks the features' file intakes in turn which of them reads the file (benchmark
figures, …) and answers itself when none does.

Only ``message`` events of subtype ``file_share`` in a direct message (``channel_type`` im)
reach this listener; every other message event is left to the other message listeners.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.delivery import post
from commands.context import Identity
from commands.core import Core
from commands.files import IncomingFile
from commands.reply import Paragraph, Reply, text
from storage.sheets import MAX_FILE_BYTES

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_SECONDS = 30


class DownloadFailed(Exception):
    pass


async def is_direct_file_share(event: dict[str, Any]) -> bool:
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") == "file_share"
        and bool(event.get("files"))
        and not event.get("bot_id")
    )


def register(app: AsyncApp, core: Core) -> None:
    async def on_file_share(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await handle_file_share(core, body, event, client)

    app.event({"type": "message", "subtype": "file_share"}, matchers=[is_direct_file_share])(
        on_file_share
    )


async def handle_file_share(
    core: Core, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
) -> None:
    who = Identity(
        platform="slack",
        user_id=event["user"],
        workspace_id=event.get("user_team") or body.get("team_id") or event.get("team"),
        channel_id=event["channel"],
    )
    for shared in event["files"]:
        details = await _file_details(client, shared)
        name = details.get("name") or details.get("title") or details.get("id", "file")
        try:
            content = await download(client, details)
        except DownloadFailed as problem:
            reply = Reply(parts=(Paragraph(text(f"I could not read {name}: {problem}")),))
        else:
            incoming = IncomingFile(
                filename=name,
                content=content,
                source_ref=f"{event['channel']}:{event.get('ts', '')}:{details.get('id', name)}",
                message=event.get("text") or "",
                mime=details.get("mimetype") or "",
            )
            answer = await asyncio.to_thread(core.receive_file, who, incoming)
            if answer is None:  # a redelivery of a file already answered
                continue
            reply = answer
        # The conversation is already private: answer as a plain message there.
        await post(client, who, replace(reply, private=False))


async def _file_details(client: AsyncWebClient, shared: dict[str, Any]) -> dict[str, Any]:
    """The file object; events may carry only its id (``mode: file_access``)."""
    if shared.get("url_private_download") or shared.get("url_private"):
        return shared
    answer = await client.files_info(file=shared["id"])
    return answer["file"]


async def download(client: AsyncWebClient, details: dict[str, Any]) -> bytes:
    """The file's bytes, fetched with the bot token (Slack's private file URLs need it)."""
    url = details.get("url_private_download") or details.get("url_private")
    if not url:
        raise DownloadFailed("Slack gave no address for it.")
    if int(details.get("size") or 0) > MAX_FILE_BYTES:
        raise _too_large()
    headers = {"Authorization": f"Bearer {client.token}"}
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers, allow_redirects=True) as response,
        ):
            if response.status != 200:
                raise DownloadFailed(f"Slack answered HTTP {response.status}.")
            # Without the token Slack answers with its sign-in page, not the file.
            if response.content_type == "text/html":
                raise DownloadFailed("Slack sent a web page instead of the file.")
            return await read_body(response, limit=MAX_FILE_BYTES)
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("download of a shared file failed: %s", type(error).__name__)
        raise DownloadFailed("the download failed; please send it again.") from error


async def read_body(response: aiohttp.ClientResponse, *, limit: int) -> bytes:
    """The whole body, however many pieces it arrives in; refused once it exceeds ``limit``.

    ``StreamReader.read(n)`` returns what has arrived so far, not ``n`` bytes: a file read
    that way is cut short as soon as the network is slower than the reader.
    """
    if response.content_length is not None and response.content_length > limit:
        raise _too_large()
    body = bytearray()
    async for piece in response.content.iter_chunked(64 * 1024):
        body += piece
        if len(body) > limit:  # Slack's reported size can be wrong: count what arrives
            raise _too_large()
    return bytes(body)


def _too_large() -> DownloadFailed:
    return DownloadFailed(f"it is larger than {MAX_FILE_BYTES // 1024:,} KB.")
