"""Delivery ids are claimed once, and forgotten when their retries are long over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.models import SeenEvent
from storage.seen_events import claim_event, prune_seen_events

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_an_event_id_is_claimed_once_per_platform(sessions):
    with sessions.begin() as session:
        assert claim_event(session=session, platform="slack", event_id="Ev1", now=NOW)
        assert not claim_event(session=session, platform="slack", event_id="Ev1", now=NOW)
        assert claim_event(session=session, platform="teams", event_id="Ev1", now=NOW)
    with sessions.begin() as session:
        assert not claim_event(session=session, platform="slack", event_id="Ev1", now=NOW)


def test_old_claims_are_pruned(sessions):
    with sessions.begin() as session:
        claim_event(session=session, platform="slack", event_id="old", now=NOW - timedelta(days=4))
        claim_event(session=session, platform="slack", event_id="new", now=NOW)
        assert prune_seen_events(session=session, older_than=NOW - timedelta(days=3)) == 1
    with sessions() as session:
        assert session.scalars(select(SeenEvent.event_id)).all() == ["new"]
