"""Form sessions: issued when the bot hands out a form, used up by its successful submission."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import FormSession

# Slack modals stay open, Teams cards stay in the conversation: a day is long enough to fill
# one in, short enough that yesterday's card in a busy channel stops working.
FORM_LIFETIME = timedelta(days=1)


def issue_form_session(
    *,
    session: Session,
    group_id: int,
    platform: str,
    user_id: str,
    channel_id: str | None,
    parent_channel_id: str | None,
    form_id: str,
    state: str,
    definition: dict[str, Any],
    now: datetime,
) -> FormSession:
    """A new form session with an unguessable token; expired ones are cleared on the way."""
    session.execute(delete(FormSession).where(FormSession.expires_at < now - FORM_LIFETIME))
    row = FormSession(
        token=secrets.token_urlsafe(24),
        group_id=group_id,
        platform=platform,
        user_id=user_id,
        channel_id=channel_id,
        parent_channel_id=parent_channel_id,
        form_id=form_id,
        state=state,
        definition=definition,
        created_at=now,
        expires_at=now + FORM_LIFETIME,
    )
    session.add(row)
    session.flush()
    return row


def find_form_session(*, session: Session, token: str) -> FormSession | None:
    return session.scalar(select(FormSession).where(FormSession.token == token))


def use_form_session(*, session: Session, session_id: int, now: datetime) -> bool:
    """Mark the form submitted; False when another submission used it first.

    On PostgreSQL a concurrent submission waits here for the first one's transaction and then
    finds the form used.
    """
    result = session.execute(
        update(FormSession)
        .where(FormSession.id == session_id, FormSession.submitted_at.is_(None))
        .values(submitted_at=now)
    )
    return (result.rowcount or 0) == 1
