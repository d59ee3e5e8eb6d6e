"""Partner regions and the names people type for them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base


class Region(Base):
    __tablename__ = "region"
    __table_args__ = (UniqueConstraint("group_id", "key"), UniqueConstraint("group_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    nuts_code: Mapped[str] = mapped_column(String(8))
    cluster: Mapped[str] = mapped_column(String(300), default="")

    aliases: Mapped[list[RegionAlias]] = relationship(
        back_populates="region", cascade="all, delete-orphan", order_by="RegionAlias.id"
    )


class RegionAlias(Base):
    """Another name for a region: a local or short name, or a NUTS code (``kind='nuts'``).

    ``folded`` is the alias lower-cased without accents or punctuation, the form lookups compare.
    """

    __tablename__ = "region_alias"
    __table_args__ = (UniqueConstraint("group_id", "folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(120))
    folded: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8), default="name")

    region: Mapped[Region] = relationship(back_populates="aliases")
