"""Weekly digest runs, claimed once across processes (the claim rules: ``storage.claims``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.claims import claim, finish, lapsed
from storage.models import DigestRun
from storage.models.claim import SENDING
from storage.once import add_once

SENT = "sent"
FAILED = "failed"


def _week(group_id: int, platform: str, week_of: date):
    return and_(
        DigestRun.group_id == group_id,
        DigestRun.platform == platform,
        DigestRun.week_of == week_of,
    )


def _retakeable(max_attempts: int, now: datetime):
    return or_(
        and_(DigestRun.status == FAILED, DigestRun.attempts < max_attempts),
        # The process that claimed it died (or hung) past its lease.
        lapsed(DigestRun, now),
    )


def digest_due(
    *,
    session: Session,
    group_id: int,
    platform: str,
    week_of: date,
    max_attempts: int,
    now: datetime,
) -> bool:
    """Whether the week's digest may be claimed now: never claimed yet, failed with attempts
    left, or claimed by a process whose lease ran out."""
    run_id = session.scalar(select(DigestRun.id).where(_week(group_id, platform, week_of)))
    if run_id is None:
        return True
    retakeable = select(DigestRun.id).where(DigestRun.id == run_id, _retakeable(max_attempts, now))
    return session.scalar(retakeable) is not None


def claim_digest(
    *,
    session: Session,
    group_id: int,
    platform: str,
    week_of: date,
    channel_id: str,
    now: datetime,
    claimer: str,
    lease: timedelta,
    max_attempts: int,
) -> DigestRun | None:
    """Claim the week's digest for ``claimer``; None when another process or tick has it, it
    was sent, or it gave up. The first claim inserts the run (a unique week); later ones take
    a failed run or a lapsed claim, which then comes back with ``unconfirmed_since`` set."""
    if session.scalar(select(DigestRun.id).where(_week(group_id, platform, week_of))) is None:
        run = DigestRun(
            group_id=group_id,
            platform=platform,
            week_of=week_of,
            channel_id=channel_id,
            status=SENDING,
            attempts=1,
            claimed_at=now,
            claimed_by=claimer,
            lease_until=now + lease,
        )
        return run if add_once(session, run) else None
    return claim(
        session,
        DigestRun,
        _week(group_id, platform, week_of),
        _retakeable(max_attempts, now),
        claimer=claimer,
        now=now,
        lease=lease,
        channel_id=channel_id,
    )


def finish_digest(
    *,
    session: Session,
    run_id: int,
    claimer: str,
    now: datetime,
    error: str | None,
    unconfirmed: bool = False,
) -> bool:
    """Record the attempt while the claim is ours; False when another process took it over.

    ``unconfirmed``: the digest may have been posted all the same; the next attempt looks.
    """
    if error is None:
        return finish(session, DigestRun, run_id, claimer, status=SENT, sent_at=now, error=None)
    return finish(
        session,
        DigestRun,
        run_id,
        claimer,
        unconfirmed=unconfirmed,
        status=FAILED,
        error=error[:2000],
    )
