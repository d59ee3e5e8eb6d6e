"""Reading the joint benchmark: editions, indicators and the reported values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import BenchmarkEdition, BenchmarkValue, Indicator, Region, WorkingGroup
from storage.models.benchmark import new_figures_version


@dataclass(frozen=True)
class ValueRow:
    edition_id: int
    region_id: int
    indicator_id: int
    value: float


@dataclass(frozen=True)
class BenchmarkData:
    """Everything needed to score a group's benchmark, detached from the session."""

    editions: list[BenchmarkEdition]  # oldest first
    indicators: list[Indicator]  # in display order
    regions: list[Region]  # alphabetical
    values: list[ValueRow]


def load_benchmark(*, session: Session, group_id: int) -> BenchmarkData:
    editions = list(
        session.scalars(
            select(BenchmarkEdition)
            .where(BenchmarkEdition.group_id == group_id)
            .order_by(BenchmarkEdition.year, BenchmarkEdition.id)
        )
    )
    indicators = list(
        session.scalars(
            select(Indicator)
            .where(Indicator.group_id == group_id)
            .order_by(Indicator.position, Indicator.code)
        )
    )
    regions = list(
        session.scalars(select(Region).where(Region.group_id == group_id).order_by(Region.name))
    )
    rows = session.execute(
        select(
            BenchmarkValue.edition_id,
            BenchmarkValue.region_id,
            BenchmarkValue.indicator_id,
            BenchmarkValue.value,
        )
        .join(BenchmarkEdition, BenchmarkEdition.id == BenchmarkValue.edition_id)
        .where(BenchmarkEdition.group_id == group_id)
    ).all()
    return BenchmarkData(
        editions=editions,
        indicators=indicators,
        regions=regions,
        values=[ValueRow(*row) for row in rows],
    )


def newest_edition(*, session: Session, group_id: int) -> BenchmarkEdition | None:
    """The edition with the latest year: the one partners deliver their figures for."""
    return session.scalar(
        select(BenchmarkEdition)
        .where(BenchmarkEdition.group_id == group_id)
        .order_by(BenchmarkEdition.year.desc(), BenchmarkEdition.id.desc())
        .limit(1)
    )


def benchmark_stamp(*, session: Session, group_id: int) -> str:
    """A cheap fingerprint of everything ``load_benchmark`` returns: equal stamps, equal data.

    The group's ``benchmark_version``, which the database renews whenever an edition, an
    indicator, a region or a region's alias of the group is written (migration 0018); every
    write of figures gives its editions a new ``figures_version`` (``mark_figures_changed``),
    and so the group a new version too.
    """
    return (
        session.scalar(select(WorkingGroup.benchmark_version).where(WorkingGroup.id == group_id))
        or ""
    )


def mark_figures_changed(*, session: Session, edition_ids: Iterable[int]) -> None:
    """Record that these editions' figures changed, so scores kept in memory are redone."""
    ids = sorted(set(edition_ids))
    if ids:
        session.execute(
            update(BenchmarkEdition)
            .where(BenchmarkEdition.id.in_(ids))
            .values(figures_version=new_figures_version())
        )
