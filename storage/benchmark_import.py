"""Importing benchmark figures from a CSV or XLSX file: read, validate everything, then write.

Two layouts are understood:
- long: a header with ``region``, ``indicator`` and ``value`` (and optionally ``edition``),
  one figure per row — the layout ``export benchmark --out FILE.csv`` writes;
- wide: a row per region, the region in the first column and a column per indicator,
  headed by the indicator's code or name.

Regions resolve like ``/benchmark`` (names, aliases, NUTS codes, small typos), indicators by
code or name. ``plan_import`` reports every problem with its row and column numbers before
anything is written; ``apply_import`` then writes the whole plan in the caller's transaction,
so an import lands completely or not at all.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.benchmark_cells import (
    EDITION_HEADERS,
    INDICATOR_HEADERS,
    REGION_HEADERS,
    VALUE_HEADERS,
    _check_entries,
    _first,
    _long_entries,
    _Lookups,
    _wide_entries,
)
from storage.benchmark_editions import _note_regions_without_figures, _plan_editions
from storage.benchmark_plan import ImportPlan
from storage.indicators import list_indicators
from storage.models import BenchmarkEdition, BenchmarkValue
from storage.regions import list_regions
from storage.sheets import Sheet
from storage.text import fold


def plan_import(
    *,
    session: Session,
    group_id: int,
    sheet: Sheet,
    edition: str | None,
    year: int | None = None,
    replace: bool = False,
    scope_region_id: int | None = None,
) -> ImportPlan:
    """Check the whole file against the database and say what importing it would do.

    ``edition`` names the edition the figures belong to; a file with an ``edition`` column
    may leave it out (every edition in the file is imported) or pick one of them. An edition
    that already has figures is only replaced with ``replace``. With ``scope_region_id`` (a
    partner's delivery) only that region's rows are read, and only its figures are replaced.
    """
    plan = ImportPlan(filename=sheet.filename, scope_region_id=scope_region_id)
    lookups = _Lookups(
        session=session,
        group_id=group_id,
        indicators=list_indicators(session=session, group_id=group_id),
        regions={r.id: r for r in list_regions(session=session, group_id=group_id)},
    )
    header = [fold(str(h)) if h is not None else "" for h in sheet.header]
    region_at = _first(header, REGION_HEADERS)
    indicator_at = _first(header, INDICATOR_HEADERS)
    value_at = _first(header, VALUE_HEADERS)
    if region_at is not None and indicator_at is not None and value_at is not None:
        plan.layout = "long"
        columns = (region_at, indicator_at, value_at, _first(header, EDITION_HEADERS))
        entries = _long_entries(sheet, header, columns, lookups, plan)
    else:
        plan.layout = "wide"
        entries = _wide_entries(sheet, header, lookups, plan)
    _check_entries(entries, lookups, plan, sheet)
    _plan_editions(
        session=session,
        group_id=group_id,
        entries=entries,
        edition=edition,
        year=year,
        replace=replace,
        plan=plan,
    )
    _note_regions_without_figures(plan, lookups)
    plan.problems.sort(key=lambda p: (p.row or 0, p.column or 0))
    return plan


# --- writing -------------------------------------------------------------------------------


def apply_import(
    *, session: Session, group_id: int, plan: ImportPlan, source: str, is_sample: bool = False
) -> list[BenchmarkEdition]:
    """Write a checked plan: create or replace its editions (or one region's figures in them).

    Runs in the caller's transaction, so a failure part-way leaves the database as it was.
    """
    if not plan.ok:
        raise ValueError("an import with problems cannot be applied")
    written = []
    for target in plan.editions:
        if target.existing_id is None:
            edition = BenchmarkEdition(
                group_id=group_id,
                label=target.label,
                year=target.year,
                source=source,
                is_sample=is_sample,
            )
            session.add(edition)
            session.flush()
        else:
            edition = session.get_one(BenchmarkEdition, target.existing_id)
            stale = delete(BenchmarkValue).where(BenchmarkValue.edition_id == edition.id)
            if plan.scope_region_id is not None:
                stale = stale.where(BenchmarkValue.region_id == plan.scope_region_id)
            else:
                # The whole edition is replaced, so it now says what the file is.
                edition.source = source
                edition.is_sample = is_sample
            session.execute(stale)
        session.add_all(
            BenchmarkValue(
                edition_id=edition.id,
                region_id=v.region_id,
                indicator_id=v.indicator_id,
                value=v.value,
            )
            for v in target.values
        )
        written.append(edition)
    session.flush()
    return written
