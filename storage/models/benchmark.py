"""The joint benchmark: indicators, editions and the values regions reported."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.region import Region


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("group_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(60))
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    theme: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


def new_figures_version() -> str:
    """A fresh mark for an edition whose figures changed (random, so a restored database never
    repeats a mark that meant other figures)."""
    return uuid4().hex


class BenchmarkEdition(Base):
    __tablename__ = "benchmark_edition"
    __table_args__ = (UniqueConstraint("group_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    is_sample: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Changes whenever the edition's figures do; scored benchmarks kept in memory compare it.
    figures_version: Mapped[str] = mapped_column(
        String(32), default=new_figures_version, server_default=""
    )

    values: Mapped[list[BenchmarkValue]] = relationship(
        back_populates="edition", cascade="all, delete-orphan"
    )


class BenchmarkValue(Base):
    __tablename__ = "benchmark_value"
    __table_args__ = (UniqueConstraint("edition_id", "region_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("benchmark_edition.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    edition: Mapped[BenchmarkEdition] = relationship(back_populates="values")
    region: Mapped[Region] = relationship()
    indicator: Mapped[Indicator] = relationship()
