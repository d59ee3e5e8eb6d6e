"""Reading the audit trail: the latest entries, narrowed to a record, a person or a period."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from storage.models import AuditEntry, Member


@dataclass(frozen=True)
class AuditFilter:
    # Entity names the record may go by (a deadline is stored as "deadline"; "event" asks
    # for any kind) and its id as shown ("D3", "12", "2012 update").
    entities: tuple[str, ...] = ()
    entity_id: str | None = None
    # A person, by platform and user id: what they did, and what was done to their membership.
    person: tuple[str, str] | None = None
    since: datetime | None = None


def _query(session: Session, group_id: int, wanted: AuditFilter) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry).where(AuditEntry.group_id == group_id)
    if wanted.entities:
        query = query.where(AuditEntry.entity.in_(wanted.entities))
    if wanted.entity_id is not None:
        query = query.where(func.lower(AuditEntry.entity_id) == wanted.entity_id.lower())
    if wanted.person is not None:
        platform, user_id = wanted.person
        member_id = session.scalar(
            select(Member.id).where(
                Member.group_id == group_id,
                Member.platform == platform,
                Member.platform_user_id == user_id,
            )
        )
        acted = and_(AuditEntry.actor_platform == platform, AuditEntry.actor_user_id == user_id)
        if member_id is not None:
            acted = or_(
                acted, and_(AuditEntry.entity == "member", AuditEntry.entity_id == str(member_id))
            )
        query = query.where(acted)
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= wanted.since)
    return query


def latest_entries(
    *, session: Session, group_id: int, wanted: AuditFilter, limit: int
) -> tuple[list[AuditEntry], int]:
    """The newest ``limit`` entries that fit, newest first, and how many fit in all."""
    query = _query(session, group_id, wanted)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    newest = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(newest)), total


def all_entries(*, session: Session, group_id: int, batch: int = 1000) -> Iterator[AuditEntry]:
    """Every entry of one working group, oldest first, read in batches (for exports)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.group_id == group_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    yield from session.scalars(query.execution_options(yield_per=batch))
