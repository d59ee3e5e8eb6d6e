"""Weekly digest runs, claimed once across processes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import DigestRun
from storage.once import add_once


def find_digest_run(
    *, session: Session, group_id: int, platform: str, week_of: date
) -> DigestRun | None:
    return session.scalar(
        select(DigestRun).where(
            DigestRun.group_id == group_id,
            DigestRun.platform == platform,
            DigestRun.week_of == week_of,
        )
    )


def claim_digest(
    *,
    session: Session,
    group_id: int,
    platform: str,
    week_of: date,
    channel_id: str,
    now: datetime,
) -> DigestRun | None:
    """Claim the week's digest; None when another process or tick already has it."""
    run = DigestRun(
        group_id=group_id,
        platform=platform,
        week_of=week_of,
        channel_id=channel_id,
        status="sending",
        attempts=1,
        claimed_at=now,
    )
    return run if add_once(session, run) else None


def reclaim_failed_digest(
    *, session: Session, run_id: int, max_attempts: int, channel_id: str, now: datetime
) -> bool:
    """Take a failed run for another attempt; False if someone else took it or it gave up."""
    result = session.execute(
        update(DigestRun)
        .where(
            DigestRun.id == run_id,
            DigestRun.status == "failed",
            DigestRun.attempts < max_attempts,
        )
        .values(
            status="sending",
            attempts=DigestRun.attempts + 1,
            claimed_at=now,
            channel_id=channel_id,
        )
    )
    return result.rowcount == 1


def finish_digest(*, session: Session, run_id: int, now: datetime, error: str | None) -> None:
    values = {"status": "sent", "sent_at": now, "error": None}
    if error is not None:
        values = {"status": "failed", "error": error[:2000]}
    session.execute(update(DigestRun).where(DigestRun.id == run_id).values(**values))
