"""Giving claims back when a process stops, so that another process takes them at once.

A stopping process first finishes what it is sending; a claim it still holds afterwards
belongs to a send that did not finish in time. Its lease is ended now rather than left to
run out: the next dispatcher takes the row over as a lapsed claim, which makes it
unconfirmed, so on Slack the taker looks for the message before posting it again
(``storage.claims``). Nothing else about the row changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.claims import Claimable
from storage.models import DigestRun, Reminder
from storage.models.claim import SENDING

# Ended leases are dated a little in the past, so that a taker whose clock runs behind this
# host's sees them as lapsed at once as well.
CLOCK_MARGIN = timedelta(minutes=1)


def release_claims(*, session: Session, claimer_prefix: str, now: datetime) -> int:
    """End the leases of every reminder and digest claim whose holder starts with
    ``claimer_prefix`` (a process's host and pid); how many were released."""
    released = 0
    for model in (Reminder, DigestRun):
        released += _release(session, model, claimer_prefix, now)
    return released


def _release(session: Session, model: Claimable, claimer_prefix: str, now: datetime) -> int:
    result = session.execute(
        update(model)
        .where(
            model.status == SENDING,
            model.claimed_by.startswith(claimer_prefix, autoescape=True),
            model.lease_until > now,
        )
        .values(lease_until=now - CLOCK_MARGIN)
    )
    return result.rowcount or 0
