"""Teams conversation references: where the bot can write later."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import TeamsConversation
from storage.once import get_or_add


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
