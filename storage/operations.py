"""What operators ask the database: the reminder backlog, recent failures, the last claim,
and per working group its channels and coordinators.

Read by /metrics and ``chemclust-bot doctor``; the reminder figures are aggregates over the
dispatcher's index (``ix_reminder_due``: status, not_before), never a scan of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    COORDINATOR,
    FAILED,
    PENDING,
    GroupChannel,
    Member,
    Reminder,
    WorkingGroup,
)


def due_backlog(*, session: Session, now: datetime) -> tuple[int, timedelta | None]:
    """How many reminders are due and waiting to be sent, and how long the oldest has waited."""
    count, oldest = session.execute(
        select(func.count(Reminder.id), func.min(Reminder.not_before)).where(
            Reminder.status == PENDING, Reminder.not_before <= now
        )
    ).one()
    return int(count or 0), (now - oldest if oldest is not None else None)


def failed_since(*, session: Session, since: datetime) -> int:
    """Reminders recorded as failed for good whose last attempt was at or after ``since``."""
    return int(
        session.scalar(
            select(func.count(Reminder.id)).where(
                Reminder.status == FAILED, Reminder.claimed_at >= since
            )
        )
        or 0
    )


def last_claimed_at(*, session: Session) -> datetime | None:
    """When a dispatcher (of any process) last took a reminder to send it."""
    return session.scalar(select(func.max(Reminder.claimed_at)))


@dataclass(frozen=True)
class GroupSetUp:
    """A working group as the doctor sees it: where its digest goes, who coordinates."""

    slug: str
    name: str
    channel_platforms: frozenset[str]
    coordinator_ids: frozenset[tuple[str, str]]  # (platform, user id)


def group_set_ups(*, session: Session) -> list[GroupSetUp]:
    groups = list(session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)))
    channels = session.execute(select(GroupChannel.group_id, GroupChannel.platform)).all()
    coordinators = session.execute(
        select(Member.group_id, Member.platform, Member.platform_user_id).where(
            Member.role == COORDINATOR
        )
    ).all()
    return [
        GroupSetUp(
            slug=group.slug,
            name=group.name,
            channel_platforms=frozenset(p for g, p in channels if g == group.id),
            coordinator_ids=frozenset((p, u) for g, p, u in coordinators if g == group.id),
        )
        for group in groups
    ]
