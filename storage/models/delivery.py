"""Deliveries already seen: platforms redeliver events, and only the first one may act."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class SeenEvent(Base):
    """A platform event id (Slack's ``event_id``) that has been acted on.

    The unique constraint is the dedupe: a retry that reaches another process fails to insert
    and is dropped. Rows only need to outlive the platform's retries, so old ones are pruned.
    """

    __tablename__ = "seen_event"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_seen_event_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
