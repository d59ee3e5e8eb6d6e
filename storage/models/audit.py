"""The audit trail: who changed which shared record, when, and what it held before and after.

Rows are only ever added (``storage.audit``). The one exception is erasing a person under the
GDPR, which rewrites their identifiers in these rows to their pseudonym (``storage.forget``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        # The questions /chemclust audit asks: the latest, of one record, of one person.
        Index("ix_audit_entry_group_at", "group_id", "at"),
        Index("ix_audit_entry_entity", "group_id", "entity", "entity_id"),
        Index("ix_audit_entry_actor", "group_id", "actor_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who: as they were when they acted (a later change of name or region leaves this alone).
    actor_platform: Mapped[str] = mapped_column(String(16))
    actor_user_id: Mapped[str] = mapped_column(String(128))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    actor_region: Mapped[str | None] = mapped_column(String(120))
    # What: "deadline" "D3" "move", "practice" "12" "edit", "edition" "2012 update" "replace".
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(32))
    # The fields that changed, as they were and as they became (None for an add or a delete).
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
