"""Links that open a Teams message, built from what an activity tells (no Graph call).

Formats from Microsoft Learn, "Deep link to Teams chat":
  channel: https://teams.microsoft.com/l/message/<channelId>/<messageId>?tenantId=…&groupId=…
           &parentMessageId=<first message of the thread>&createdTime=<messageId>
  chat:    https://teams.microsoft.com/l/message/<chatId>/<messageId>?context={"contextType":"chat"}
A personal chat with a bot has no such link: the bot sees it as "a:…", not as the "19:…" chat
id the link needs. Teams message ids are the message's creation time in milliseconds, which is
what ``createdTime`` wants.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

TEAMS_WEB = "https://teams.microsoft.com/l/message"
_CHAT_CONTEXT = json.dumps({"contextType": "chat"}, separators=(",", ":"))


def channel_message_link(
    *,
    channel_id: str,
    message_id: str,
    thread_root_id: str | None,
    tenant_id: str | None,
    team_group_id: str | None,
) -> str:
    """A message in a channel; a reply names its thread's first message too."""
    query = {
        "tenantId": tenant_id,
        "groupId": team_group_id,
        "parentMessageId": thread_root_id or message_id,
        "createdTime": message_id,
    }
    return _link(channel_id, message_id, {k: v for k, v in query.items() if v})


def chat_message_link(*, chat_id: str, message_id: str, tenant_id: str | None) -> str | None:
    """A message in a group or meeting chat ("19:…"); None for the bot's personal chats."""
    if not chat_id.startswith("19:"):
        return None
    query = {"tenantId": tenant_id} if tenant_id else {}
    return _link(chat_id, message_id, {**query, "context": _CHAT_CONTEXT})


def _link(conversation_id: str, message_id: str, query: dict[str, str]) -> str:
    # Percent-encoded like the webUrl Microsoft Graph gives messages ("19%3A…%40thread.tacv2").
    path = f"{TEAMS_WEB}/{quote(conversation_id, safe='')}/{quote(message_id, safe='')}"
    return f"{path}?{urlencode(query)}" if query else path
