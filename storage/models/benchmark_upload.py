"""A benchmark file someone sent the bot, validated and waiting for their "Import" click.

The file itself is kept, not just its validation report: the click may reach another web
process, and the data is validated again at that moment against the database as it is then.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow

UPLOAD_STATUSES = ("pending", "imported", "discarded")


class BenchmarkUpload(Base):
    __tablename__ = "benchmark_upload"
    __table_args__ = (
        UniqueConstraint("token"),
        # A platform's reference to the message and file: a redelivered event finds it taken.
        UniqueConstraint("group_id", "source_ref"),
        CheckConstraint("status IN ('pending', 'imported', 'discarded')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(32))
    source_ref: Mapped[str] = mapped_column(String(255))
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(128))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # Set for a partner's upload: only this region's rows are taken.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    edition_label: Mapped[str | None] = mapped_column(String(80))
    edition_year: Mapped[int | None] = mapped_column(Integer)
    replace: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
