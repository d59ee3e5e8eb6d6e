"""Reminder rows the dispatcher writes itself (direct messages fanned out from a channel's)."""

from __future__ import annotations

from datetime import datetime

from storage.models import Member, Reminder


def direct_message_row(
    member: Member,
    *,
    about: Reminder,
    kind: str,
    due_at: datetime,
    not_before: datetime,
    payload: dict,
    dedupe_key: str,
    parent_id: int | None = None,
) -> Reminder:
    """A pending row that messages ``member`` directly about ``about``'s event."""
    return Reminder(
        group_id=about.group_id,
        event_id=about.event_id,
        kind=kind,
        due_at=due_at,
        not_before=not_before,
        platform=member.platform,
        target=member.conversation,
        payload=payload,
        dedupe_key=dedupe_key,
        parent_id=parent_id,
    )
