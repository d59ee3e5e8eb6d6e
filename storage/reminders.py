"""Reminder rows: scheduling, the atomic claim the dispatcher relies on, and outcomes.

The claim is one statement: ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)
AND status = 'pending' … RETURNING id``. On PostgreSQL, concurrent dispatchers skip rows
another one has locked; on SQLite (which ignores FOR UPDATE) the single writer serialises
the statements and the repeated status condition lets only one of them win. Either way a
row is handed to exactly one dispatcher per attempt. A claim that lapses is taken over
(``storage.claims``); the row is then unconfirmed and the taker looks before sending.

The dispatcher claims in batches (``claim_due``: the candidates read with ``FOR UPDATE SKIP
LOCKED``, then claimed by one ``UPDATE … WHERE id IN (…) AND <still claimable>``) and records
what it sent by one statement (``mark_sent_many``), under the same rules.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from storage import once
from storage.claims import claim, claim_many, finish, finish_many, lapsed
from storage.models import (
    FAILED,
    PENDING,
    REMINDER_CANCELLED,
    SENT,
    SKIPPED,
    Reminder,
)


def add_reminders(*, session: Session, reminders: Iterable[Reminder]) -> list[Reminder]:
    added = list(reminders)
    session.add_all(added)
    session.flush()
    return added


def add_once(*, session: Session, reminder: Reminder) -> Reminder | None:
    """Add a row carrying a ``dedupe_key`` unless it exists already; None when it did."""
    if reminder.dedupe_key is None:
        raise ValueError("add_once needs a dedupe_key")
    exists = session.scalar(select(Reminder.id).where(Reminder.dedupe_key == reminder.dedupe_key))
    if exists is not None:
        return None
    return reminder if once.add_once(session, reminder) else None


def cancel_pending(*, session: Session, event_id: int, kinds: Iterable[str]) -> int:
    """Withdraw the event's reminders that have not gone out yet; returns how many."""
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.event_id == event_id,
            Reminder.kind.in_(list(kinds)),
            Reminder.status == PENDING,
        )
        .values(status=REMINDER_CANCELLED)
    )
    return result.rowcount or 0


def _claimable(platforms: list[str], now: datetime):
    return and_(
        Reminder.platform.in_(platforms),
        or_(
            and_(Reminder.status == PENDING, Reminder.not_before <= now),
            # A claim whose holder died (or hung) past its lease is taken over.
            lapsed(Reminder, now),
        ),
    )


def claim_next(
    *,
    session: Session,
    platforms: Iterable[str],
    now: datetime,
    claimer: str,
    lease: timedelta,
) -> Reminder | None:
    """Claim the most overdue claimable row for ``claimer``; None when nothing is due.

    The caller commits right away, so that the claim is visible before anything is sent.
    A row taken over from a lapsed claim comes back with ``unconfirmed_since`` set.
    """
    names = list(platforms)
    if not names:
        return None
    due = _claimable(names, now)
    pick = (
        select(Reminder.id)
        .where(due)
        .order_by(Reminder.not_before, Reminder.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return claim(session, Reminder, Reminder.id == pick, due, claimer=claimer, now=now, lease=lease)


def claim_due(
    *,
    session: Session,
    platforms: Iterable[str],
    now: datetime,
    claimer: str,
    lease: timedelta,
    limit: int,
) -> list[Reminder]:
    """Claim a batch of the most overdue claimable rows, at most one per conversation, most
    overdue first; an empty list when nothing is due.

    One per conversation: a conversation takes a message a second at most, so a second row
    for it could not go out with this batch anyway; left unclaimed, another process or the
    next batch takes it. The candidates are read and locked (PostgreSQL skips rows other
    dispatchers hold: ``FOR UPDATE SKIP LOCKED``), then claimed by one statement that repeats
    the condition, so that on SQLite, where a claim of another process may come in between,
    each row is still claimed by one dispatcher only. The caller commits right away.
    """
    names = list(platforms)
    if not names or limit < 1:
        return []
    due = _claimable(names, now)
    candidates = session.execute(
        select(Reminder.id, Reminder.platform, Reminder.target)
        .where(due)
        .order_by(Reminder.not_before, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    picked: dict[tuple[str, str], int] = {}
    for row_id, platform, target in candidates:
        picked.setdefault((platform, json.dumps(target, sort_keys=True, default=str)), row_id)
    # Written even when nothing was picked, as a claim always was: a database that cannot be
    # written (a SQLite file another process holds) is noticed at every run, not only when
    # something falls due.
    claimed = claim_many(
        session,
        Reminder,
        Reminder.id.in_(sorted(picked.values())),
        due,
        claimer=claimer,
        now=now,
        lease=lease,
    )
    return sorted(claimed, key=lambda row: (row.not_before, row.id))


def mark_sent(
    *,
    session: Session,
    reminder_id: int,
    claimer: str,
    now: datetime,
    message_ref: str | None,
    late: bool,
) -> bool:
    return finish(
        session,
        Reminder,
        reminder_id,
        claimer,
        status=SENT,
        sent_at=now,
        message_ref=message_ref,
        late=late,
    )


def mark_sent_many(
    *,
    session: Session,
    claimer: str,
    now: datetime,
    message_refs: Mapping[int, str | None],
    late: Collection[int],
) -> set[int]:
    """``mark_sent`` for a batch, in one statement: ``message_refs`` maps each row sent to
    its message; ``late`` names the rows sent late. The ids recorded (claims still ours)."""
    if not message_refs:
        return set()
    refs = {row_id: ref for row_id, ref in message_refs.items() if ref is not None}
    return finish_many(
        session,
        Reminder,
        message_refs.keys(),
        claimer,
        status=SENT,
        sent_at=now,
        message_ref=case(refs, value=Reminder.id, else_=None) if refs else None,
        late=Reminder.id.in_(sorted(late)) if late else False,
    )


def release(*, session: Session, reminder_ids: Collection[int], claimer: str) -> set[int]:
    """Give back claimed rows that were not tried (their turn came too late in the lease):
    pending again as they were, the claim's attempt not counted."""
    return finish_many(
        session,
        Reminder,
        reminder_ids,
        claimer,
        status=PENDING,
        claimed_by=None,
        attempts=Reminder.attempts - 1,
        unconfirmed_since=Reminder.unconfirmed_since,  # a takeover's doubt stays
    )


def mark_skipped(*, session: Session, reminder_id: int, claimer: str, reason: str) -> bool:
    return finish(session, Reminder, reminder_id, claimer, status=SKIPPED, last_error=reason)


def mark_failed(*, session: Session, reminder_id: int, claimer: str, reason: str) -> bool:
    return finish(session, Reminder, reminder_id, claimer, status=FAILED, last_error=reason)


def mark_retry(
    *,
    session: Session,
    reminder_id: int,
    claimer: str,
    not_before: datetime,
    first_failure_at: datetime,
    reason: str,
    unconfirmed: bool = False,
) -> bool:
    return finish(
        session,
        Reminder,
        reminder_id,
        claimer,
        unconfirmed=unconfirmed,
        status=PENDING,
        claimed_by=None,
        not_before=not_before,
        first_failure_at=first_failure_at,
        last_error=reason,
    )
