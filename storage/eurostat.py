"""Benchmark figures from Eurostat, kept: the queries its planning needs, and the writing.

Fetching and reading Eurostat's answers, and deciding which figures an import takes, happen
in ``commands.benchmark``; what reaches here is already checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import BenchmarkEdition, BenchmarkValue, Region
from storage.regions import list_regions


@dataclass(frozen=True)
class PlannedFigure:
    edition_id: int
    region_id: int
    value: float
    note: str
    replaces: bool


def partner_geo_codes(*, session: Session, group_id: int) -> dict[str, Region]:
    """The NUTS code Eurostat is asked for, per partner region (its main code)."""
    return {r.nuts_code: r for r in list_regions(session=session, group_id=group_id)}


def editions_by_year(*, session: Session, group_id: int) -> list[BenchmarkEdition]:
    """The group's editions, oldest year first (the first of a year takes its figures)."""
    return list(
        session.scalars(
            select(BenchmarkEdition)
            .where(BenchmarkEdition.group_id == group_id)
            .order_by(BenchmarkEdition.year, BenchmarkEdition.id)
        )
    )


def indicator_figures(*, session: Session, indicator_id: int) -> set[tuple[int, int]]:
    """(edition id, region id) of every figure the indicator already has."""
    return set(
        session.execute(
            select(BenchmarkValue.edition_id, BenchmarkValue.region_id).where(
                BenchmarkValue.indicator_id == indicator_id
            )
        ).all()
    )


def apply_eurostat(*, session: Session, indicator_id: int, figures: list[PlannedFigure]) -> int:
    """Write checked figures (replacing the indicator's earlier ones); the caller commits."""
    for figure in figures:
        session.execute(
            delete(BenchmarkValue).where(
                BenchmarkValue.edition_id == figure.edition_id,
                BenchmarkValue.region_id == figure.region_id,
                BenchmarkValue.indicator_id == indicator_id,
            )
        )
        session.add(
            BenchmarkValue(
                edition_id=figure.edition_id,
                region_id=figure.region_id,
                indicator_id=indicator_id,
                value=figure.value,
                note=figure.note,
            )
        )
    session.flush()
    return len(figures)
