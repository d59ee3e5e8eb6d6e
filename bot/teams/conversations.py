"""Per incoming activity: remember where the bot can write later, and name its delivery.

Retries are recognised by the delivery key, claimed by the core in the transaction that does
the activity's work (as Slack events are): a crash before that commit leaves the activity
unclaimed, so Teams' retry still gets it done.
"""

from __future__ import annotations

import hashlib
from typing import Any

from microsoft_agents.activity import ActivityTypes

from bot.teams.identity import PLATFORM, channel_data, tenant_id
from storage.db import SessionFactory
from storage.groups import group_for_workspace
from storage.teams import save_conversation

PERSONAL = "personal"
# Activities that change or remove a message the bot received before.
CHANGES = {ActivityTypes.message_update, ActivityTypes.message_delete}


def reference_json(activity: Any) -> dict[str, Any]:
    """The activity's ConversationReference as camelCase JSON, as the SDK reads it back."""
    reference = activity.get_conversation_reference()
    return reference.model_dump(mode="json", by_alias=True, exclude_none=True)


def delivery_key(activity: Any) -> str | None:
    """What a retry of the activity repeats and no other activity carries.

    A message's activity id, within its conversation (Teams numbers activities per
    conversation). An edit or delete carries the id of the message it changes, the same for
    every edit of it, so its kind and time are added: each edit counts once, and a retried
    one (the very same activity again) is still recognised. Hashed to fit the claim's column.
    """
    if not activity.id:
        return None
    parts = [activity.conversation.id if activity.conversation else "", activity.id]
    if activity.type in CHANGES:
        parts.append(channel_data(activity).get("eventType") or activity.type)
        parts.append(activity.timestamp.isoformat() if activity.timestamp else "")
    return "activity:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def record_activity(sessions: SessionFactory, activity: Any) -> None:
    """Save (or refresh) the conversation reference the activity brings."""
    if not activity.service_url:
        return
    conversation = activity.conversation
    with sessions.begin() as session:
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
