"""Claims on rows that are posted once (reminders, weekly digest runs), in one place.

A claim is taken for a lease and committed before anything is posted; when it lapses (its
holder died or hung) another process may take it over; only the holder records an outcome.
Taking over a lapsed claim marks the row unconfirmed since that claim was taken, because
the platform may hold its message: the taker looks before posting (commands.reminders.once).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, update
from sqlalchemy.orm import Session

from storage.models import DigestRun, Reminder
from storage.models.claim import SENDING

Claimable = type[Reminder] | type[DigestRun]


def lapsed(model: Claimable, now: datetime) -> ColumnElement[bool]:
    """Claimed, but the lease ran out before an outcome was recorded."""
    return and_(model.status == SENDING, model.lease_until < now)


def _claimed_values(model: Claimable, *, claimer: str, now: datetime, lease: timedelta) -> dict:
    return {
        "status": SENDING,
        "claimed_by": claimer,
        "claimed_at": now,
        "lease_until": now + lease,
        "attempts": model.attempts + 1,
        # Right-hand sides read the row as it was: taking over a lapsed claim, whose post may
        # have gone out, makes the row unconfirmed since that claim (or an earlier one).
        "unconfirmed_since": case(
            (model.status == SENDING, func.coalesce(model.unconfirmed_since, model.claimed_at)),
            else_=model.unconfirmed_since,
        ),
    }


def claim(
    session: Session,
    model: Claimable,
    *where: ColumnElement[bool],
    claimer: str,
    now: datetime,
    lease: timedelta,
    **values: Any,
) -> Any:
    """Claim the row ``where`` selects, in one statement; the claimed row, or None.

    The caller commits right away, so that the claim is visible before anything is posted.
    """
    claimed = session.scalar(
        update(model)
        .where(*where)
        .values(**_claimed_values(model, claimer=claimer, now=now, lease=lease), **values)
        .returning(model.id)
    )
    if claimed is None:
        return None
    return session.get(model, claimed, populate_existing=True)


def claim_many(
    session: Session,
    model: Claimable,
    *where: ColumnElement[bool],
    claimer: str,
    now: datetime,
    lease: timedelta,
) -> list[Any]:
    """Claim every row ``where`` selects, in one statement; the claimed rows (any order).

    The caller commits right away, as for ``claim``.
    """
    return list(
        session.scalars(
            update(model)
            .where(*where)
            .values(**_claimed_values(model, claimer=claimer, now=now, lease=lease))
            .returning(model),
            execution_options={"populate_existing": True},
        )
    )


def finish(
    session: Session,
    model: Claimable,
    row_id: int,
    claimer: str,
    *,
    unconfirmed: bool = False,
    **values: Any,
) -> bool:
    """Record an outcome, only while the claim is still ours (a takeover wins otherwise).

    ``unconfirmed``: the attempt's outcome is not known (no answer came back, or looking for
    an earlier message failed), so the next attempt must look before it posts.
    """
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.status == SENDING, model.claimed_by == claimer)
        .values(
            lease_until=None,
            unconfirmed_since=(
                func.coalesce(model.unconfirmed_since, model.claimed_at) if unconfirmed else None
            ),
            **values,
        )
    )
    return (result.rowcount or 0) == 1


def finish_many(
    session: Session, model: Claimable, row_ids: Collection[int], claimer: str, **values: Any
) -> set[int]:
    """``finish`` for many rows at once, with the same values; the ids recorded (the rows
    whose claim is still ours)."""
    if not row_ids:
        return set()
    recorded = session.scalars(
        update(model)
        .where(model.id.in_(sorted(row_ids)), model.status == SENDING, model.claimed_by == claimer)
        .values(**{"lease_until": None, "unconfirmed_since": None, **values})
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return set(recorded)
