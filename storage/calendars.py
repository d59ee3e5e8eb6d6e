"""The secret token in each group's calendar address."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import CalendarFeed
from storage.once import get_or_add

# 32 url-safe characters: unguessable, short enough to paste.
_TOKEN_BYTES = 24


def _new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def feed_token(*, session: Session, group_id: int) -> str:
    """The group's calendar token, created on first use."""
    return _feed(session, group_id).token


def _feed(session: Session, group_id: int) -> CalendarFeed:
    feed, _ = get_or_add(
        session,
        lambda: session.scalar(select(CalendarFeed).where(CalendarFeed.group_id == group_id)),
        lambda: CalendarFeed(group_id=group_id, token=_new_token()),
    )
    return feed


def rotate_feed_token(*, session: Session, group_id: int, now: datetime) -> str:
    """Replace the token: the old address stops working at once."""
    feed = _feed(session, group_id)
    feed.token = _new_token()
    feed.rotated_at = now
    session.flush()
    return feed.token


def group_for_feed_token(*, session: Session, token: str) -> int | None:
    if not token:
        return None
    return session.scalar(select(CalendarFeed.group_id).where(CalendarFeed.token == token))
