"""Who sent a Slack payload, in the platform-neutral terms of ``commands``."""

from __future__ import annotations

from typing import Any

from commands.context import Identity

PLATFORM = "slack"


def from_command(body: dict[str, Any]) -> Identity:
    return Identity(
        platform=PLATFORM,
        user_id=body["user_id"],
        workspace_id=body.get("team_id"),
        channel_id=body.get("channel_id"),
        user_name=body.get("user_name"),
    )


def from_interaction(body: dict[str, Any]) -> Identity:
    """Block actions and view submissions carry the person under ``user``."""
    user = body.get("user", {})
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    return Identity(
        platform=PLATFORM,
        user_id=user["id"],
        workspace_id=team.get("id") or user.get("team_id"),
        channel_id=channel.get("id"),
        user_name=user.get("username") or user.get("name"),
    )
