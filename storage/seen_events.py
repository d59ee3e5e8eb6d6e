"""Claiming platform events once, across processes, by a unique constraint."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import SeenEvent
from storage.once import add_once

# Platforms redeliver within minutes (Slack: up to 5, Teams: seconds); days are plenty.
SEEN_EVENTS_KEPT = timedelta(days=3)


def claim_event(*, session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """True for the first delivery of ``event_id``; False when it was already claimed.

    Call it in the transaction that writes the event's effects: a crash before the commit
    leaves the event unclaimed, so the platform's retry can still do the work.
    """
    return add_once(session, SeenEvent(platform=platform, event_id=event_id, created_at=now))


def prune_seen_events(*, session: Session, older_than: datetime) -> int:
    """Forget events claimed before ``older_than``; their retries are long over."""
    result = session.execute(delete(SeenEvent).where(SeenEvent.created_at < older_than))
    return result.rowcount or 0


def was_seen(*, session: Session, platform: str, event_id: str) -> bool:
    """A cheap look before doing work for an event; the claim itself still decides."""
    found = session.scalar(
        select(SeenEvent.id).where(SeenEvent.platform == platform, SeenEvent.event_id == event_id)
    )
    return found is not None
