"""Which benchmark editions an import writes: new ones, or existing ones it replaces."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.benchmark_cells import _SKIPPED, _Entry, _Lookups
from storage.benchmark_plan import EditionPlan, ImportPlan, PlannedValue
from storage.models import BenchmarkEdition, BenchmarkValue
from storage.numbers import YEAR
from storage.sheets import Problem
from storage.text import fold

_YEAR_IN_LABEL = re.compile(r"\b(19|20)[0-9]{2}\b", re.ASCII)


def _plan_editions(
    *,
    session: Session,
    group_id: int,
    entries: list[_Entry],
    edition: str | None,
    year: int | None,
    replace: bool,
    plan: ImportPlan,
) -> None:
    has_column = any(e.edition is not None for e in entries)
    if edition is None and not has_column:
        plan.problems.append(Problem("Say which edition the figures belong to, e.g. 2014."))
        return
    existing = {
        fold(e.label): e
        for e in session.scalars(
            select(BenchmarkEdition).where(BenchmarkEdition.group_id == group_id)
        )
    }
    wanted = fold(edition) if edition else None
    by_label: dict[str, EditionPlan] = {}
    other_editions: set[str] = set()
    for entry in entries:
        label = entry.edition if has_column else edition
        if label is None:
            continue
        if wanted is not None and fold(label) != wanted:
            other_editions.add(label)
            continue
        key = fold(label)
        if key not in by_label:
            by_label[key] = _edition_plan(session, existing.get(key), label, year, plan)
        target = by_label[key]
        if entry.cell is _SKIPPED or entry.region is None or entry.indicator is None:
            continue
        if isinstance(entry.cell, float):
            target.values.append(
                PlannedValue(entry.region.id, entry.indicator.id, entry.cell, entry.row)
            )
        elif entry.cell is not None:
            target.no_figures += 1
    if other_editions:
        plan.notes.append(
            "Rows of other editions were left out: " + ", ".join(sorted(other_editions)) + "."
        )
    if wanted is not None and not by_label and has_column:
        plan.problems.append(Problem(f"The file has no rows for the edition “{edition}”."))
    if wanted is not None and not by_label and not has_column and not plan.problems:
        plan.problems.append(Problem("The file has no figures."))
    plan.editions = list(by_label.values())
    for target in plan.editions:
        _count_replaced(session, target, plan)
        if target.existing_values and not replace and plan.scope_region_id is None:
            plan.problems.append(
                Problem(
                    f"The edition “{target.label}” already has {target.existing_values} figures; "
                    "replacing them must be asked for (--replace)."
                )
            )


def _edition_plan(
    session: Session,
    found: BenchmarkEdition | None,
    label: str,
    year: int | None,
    plan: ImportPlan,
) -> EditionPlan:
    if found is not None:
        if year is not None and year != found.year:
            plan.problems.append(
                Problem(f"The edition “{found.label}” is of {found.year}, not {year}.")
            )
        return EditionPlan(
            label=found.label, year=found.year, existing_id=found.id, was_sample=found.is_sample
        )
    if plan.scope_region_id is not None:
        plan.problems.append(Problem(f"There is no edition “{label}” to deliver figures for."))
    in_label = _YEAR_IN_LABEL.search(label)
    chosen = year if year is not None else (YEAR.read(in_label.group(0)) if in_label else None)
    if chosen is None:
        plan.problems.append(Problem(f"Say the year of the new edition “{label}”, e.g. 2014."))
        chosen = 0
    return EditionPlan(label=label.strip(), year=chosen)


def _count_replaced(session: Session, target: EditionPlan, plan: ImportPlan) -> None:
    if target.existing_id is None:
        return
    query = select(func.count()).where(BenchmarkValue.edition_id == target.existing_id)
    if plan.scope_region_id is not None:
        query = query.where(BenchmarkValue.region_id == plan.scope_region_id)
    target.existing_values = session.scalar(query) or 0


def _note_regions_without_figures(plan: ImportPlan, lookups: _Lookups) -> None:
    if plan.scope_region_id is not None or not plan.editions:
        return
    covered = {v.region_id for e in plan.editions for v in e.values}
    plan.regions_without_figures = sorted(
        r.name for r in lookups.regions.values() if r.id not in covered
    )
