"""Joint policy recommendations: a text the regions endorse, consult on and adopt together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.member import Member
from storage.models.pilot import PilotAction
from storage.models.region import Region

LEVELS = ("european", "regional")
# A consultation has closed when its time is up; the row stays "consultation" until adopted.
DRAFT, CONSULTATION, ADOPTED = "draft", "consultation", "adopted"


class Recommendation(Base):
    __tablename__ = "recommendation"
    __table_args__ = (
        CheckConstraint("level IN ('european', 'regional')", name="level"),
        CheckConstraint("status IN ('draft', 'consultation', 'adopted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilot_action.id", ondelete="SET NULL"))
    theme: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Where the consultation was opened, and so where its close is announced
    # ({"channel": "C123"}, plus "workspace" where the platform has one).
    platform: Mapped[str | None] = mapped_column(String(16))
    conversation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))

    pilot: Mapped[PilotAction | None] = relationship()
    created_by: Mapped[Member | None] = relationship(foreign_keys=[created_by_id])
    endorsements: Mapped[list[Endorsement]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="Endorsement.id"
    )

    @property
    def ref(self) -> str:
        return f"R{self.id}"

    def closed(self, now: datetime) -> bool:
        """Whether its consultation has run out (and it can be adopted)."""
        return self.status == CONSULTATION and self.closes_at is not None and self.closes_at <= now

    def endorsing_regions(self) -> list[Region]:
        return sorted((e.region for e in self.endorsements), key=lambda r: r.name)


class Endorsement(Base):
    """A region agrees to the text: one per region, withdrawn by deleting it."""

    __tablename__ = "recommendation_endorsement"
    __table_args__ = (UniqueConstraint("recommendation_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE")
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    endorsed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="endorsements")
    region: Mapped[Region] = relationship()


class RecommendationComment(Base):
    __tablename__ = "recommendation_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region | None] = relationship()
