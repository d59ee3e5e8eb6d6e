"""Who sent a Teams activity, and where, in the platform-neutral terms of ``commands``."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commands.context import Identity

PLATFORM = "teams"


def tenant_id(activity: Any) -> str | None:
    """The Teams tenant: on the conversation, else in channelData.tenant."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return conversation.tenant_id
    channel_data = activity.channel_data or {}
    if not isinstance(channel_data, dict):
        channel_data = getattr(channel_data, "model_dump", lambda **_: {})(by_alias=True)
    tenant = channel_data.get("tenant") or {}
    return tenant.get("id") if isinstance(tenant, dict) else None


def _timezone(name: str | None) -> str | None:
    """The sender's IANA zone as their Teams client reports it, if it is a real one."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


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
        user_name=sender.name or None,
        timezone=_timezone(activity.local_timezone),
    )
