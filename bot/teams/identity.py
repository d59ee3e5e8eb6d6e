"""Who sent a Teams activity, and where, in the platform-neutral terms of ``commands``."""

from __future__ import annotations

import re
from typing import Any

from commands.context import Identity, valid_timezone

PLATFORM = "teams"
CHANNEL = "channel"
# A channel conversation's id names one thread: "19:…@thread.tacv2;messageid=<first message>".
_THREAD = re.compile(r";messageid=([^;]+)")


def channel_data(activity: Any) -> dict[str, Any]:
    """The activity's channelData as Teams sent it (camelCase keys); {} when there is none."""
    data = activity.channel_data or {}
    if not isinstance(data, dict):
        data = getattr(data, "model_dump", lambda **_: {})(by_alias=True)
    return data


def _id_in(data: dict[str, Any], key: str) -> str | None:
    found = data.get(key)
    return found.get("id") if isinstance(found, dict) else None


def tenant_id(activity: Any) -> str | None:
    """The Teams tenant: on the conversation, else in channelData.tenant."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return conversation.tenant_id
    return _id_in(channel_data(activity), "tenant")


def is_channel(activity: Any) -> bool:
    conversation = activity.conversation
    return conversation is not None and conversation.conversation_type == CHANNEL


def whole_channel_id(activity: Any) -> str | None:
    """The channel of a channel conversation (the conversation is one thread of it); None for
    chats, whose conversation id is the whole chat already."""
    if not is_channel(activity):
        return None
    return (
        _id_in(channel_data(activity), "channel")
        or channel_data(activity).get("teamsChannelId")
        or activity.conversation.id.split(";", 1)[0]
    )


def thread_root_id(activity: Any) -> str | None:
    """The id of the first message of the channel thread the activity belongs to."""
    if not is_channel(activity):
        return None
    found = _THREAD.search(activity.conversation.id or "")
    return found.group(1) if found else None


def from_activity(activity: Any) -> Identity:
    """A Teams user is their Entra (AAD) object id, stable across teams, chats and bots.

    The Bot Framework id ("29:…") differs per bot, so it is only the fallback.
    """
    sender = activity.from_property
    return Identity(
        platform=PLATFORM,
        user_id=sender.aad_object_id or sender.id,
        workspace_id=tenant_id(activity),
        channel_id=activity.conversation.id if activity.conversation else None,
        parent_channel_id=whole_channel_id(activity),
        user_name=sender.name or None,
        timezone=valid_timezone(activity.local_timezone),
    )
