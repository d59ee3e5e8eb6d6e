"""Per incoming activity: remember where the bot can write later, and notice retries.

Runs in a worker thread (blocking database calls); one transaction per activity.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microsoft_agents.activity import ActivityTypes

from bot.teams.identity import PLATFORM, channel_data, tenant_id
from storage.db import SessionFactory
from storage.groups import group_for_workspace
from storage.teams import claim_activity, save_conversation

PERSONAL = "personal"
# Activities that change or remove a message the bot received before.
CHANGES = {ActivityTypes.message_update, ActivityTypes.message_delete}


def reference_json(activity: Any) -> dict[str, Any]:
    """The activity's ConversationReference as camelCase JSON, as the SDK reads it back."""
    reference = activity.get_conversation_reference()
    return reference.model_dump(mode="json", by_alias=True, exclude_none=True)


def delivery_key(activity: Any) -> str | None:
    """What a retry of the activity repeats and no other activity carries.

    A message's activity id. An edit or delete carries the id of the message it changes, the
    same for every edit of it, so its kind and time are added: each edit counts once, and a
    retried one (the very same activity again) is still recognised.
    """
    if not activity.id:
        return None
    if activity.type not in CHANGES:
        return activity.id
    event = channel_data(activity).get("eventType") or activity.type
    when = activity.timestamp.isoformat() if activity.timestamp else ""
    return f"{activity.id}|{event}|{when}"


def record_activity(
    sessions: SessionFactory, activity: Any, *, now: datetime, deduplicate: bool
) -> bool:
    """Save the conversation reference; False when this activity was handled before.

    Retries carry the same activity id; ``deduplicate`` is for activities that do something
    (messages, card submissions, edits), not for installation events.
    """
    conversation = activity.conversation
    key = delivery_key(activity)
    with sessions.begin() as session:
        if deduplicate and key:
            first = claim_activity(
                session=session,
                activity_id=key,
                conversation_id=conversation.id,
                now=now,
            )
            if not first:
                return False
        if activity.service_url:
            tenant = tenant_id(activity)
            group = group_for_workspace(session=session, platform=PLATFORM, external_id=tenant)
            kind = conversation.conversation_type or None
            sender = activity.from_property
            personal_user = None
            if kind == PERSONAL and sender is not None:
                personal_user = sender.aad_object_id or sender.id
            save_conversation(
                session=session,
                conversation_id=conversation.id,
                group_id=group.id,
                tenant_id=tenant,
                service_url=activity.service_url,
                conversation_type=kind,
                personal_user_id=personal_user,
                reference=reference_json(activity),
            )
    return True
