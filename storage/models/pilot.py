"""The pilot actions and the regions taking part in each."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base
from storage.models.region import Region

pilot_region = Table(
    "pilot_region",
    Base.metadata,
    Column("pilot_id", ForeignKey("pilot_action.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
)


class PilotAction(Base):
    __tablename__ = "pilot_action"
    __table_args__ = (UniqueConstraint("group_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # Other names people use for the pilot, comma-separated ("skills foresight, skills").
    keywords: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    regions: Mapped[list[Region]] = relationship(secondary=pilot_region, order_by=Region.name)
