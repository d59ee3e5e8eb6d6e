"""Teams conversation references and the activities already handled (retries come again)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import TeamsConversation, TeamsSeenActivity
from storage.once import add_once, get_or_add

# Teams retries an unanswered delivery within seconds to minutes; a day is plenty.
SEEN_ACTIVITY_RETENTION = timedelta(days=1)


def save_conversation(
    *,
    session: Session,
    conversation_id: str,
    group_id: int,
    tenant_id: str | None,
    service_url: str,
    conversation_type: str | None,
    personal_user_id: str | None,
    reference: dict[str, Any],
) -> TeamsConversation:
    """Insert or refresh the reference; two processes saving at once both succeed."""
    fields = {
        "group_id": group_id,
        "tenant_id": tenant_id,
        "service_url": service_url,
        "conversation_type": conversation_type,
        "personal_user_id": personal_user_id,
        "reference": reference,
    }
    row, new = get_or_add(
        session,
        lambda: session.get(TeamsConversation, conversation_id),
        lambda: TeamsConversation(conversation_id=conversation_id, **fields),
    )
    if new:
        return row
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    return row


def get_conversation(*, session: Session, conversation_id: str) -> TeamsConversation | None:
    return session.get(TeamsConversation, conversation_id)


def personal_conversation(*, session: Session, user_id: str) -> TeamsConversation | None:
    """The personal chat between the bot and this person (AAD object id), if there is one."""
    return session.scalar(
        select(TeamsConversation)
        .where(TeamsConversation.personal_user_id == user_id)
        .order_by(TeamsConversation.updated_at.desc())
        .limit(1)
    )


def claim_activity(
    *,
    session: Session,
    activity_id: str,
    conversation_id: str,
    now: datetime,
    retention: timedelta = SEEN_ACTIVITY_RETENTION,
) -> bool:
    """True the first time an activity is seen, False for every retry of it.

    The unique constraint decides, so a retry that lands on another process is still caught.
    Old rows are pruned on the way, which keeps the table to about a day of traffic.
    """
    session.execute(delete(TeamsSeenActivity).where(TeamsSeenActivity.seen_at < now - retention))
    return add_once(
        session,
        TeamsSeenActivity(activity_id=activity_id, conversation_id=conversation_id, seen_at=now),
    )
