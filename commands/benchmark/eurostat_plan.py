"""Which benchmark figures a Eurostat dataset gives: by partner region and, by year, edition.

Values map to an indicator and, by year, to the editions; Eurostat's status flags are kept in
the value's note. Every reason the dataset cannot be imported is a problem, said in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from commands.benchmark.eurostat_api import Dataset
from storage.benchmark_cells import plausible_range
from storage.eurostat import PlannedFigure, editions_by_year, indicator_figures, partner_geo_codes
from storage.models import BenchmarkEdition, Indicator

_YEAR = re.compile(r"^\d{4}$")


@dataclass
class EurostatPlan:
    dataset: str
    indicator: Indicator
    figures: list[PlannedFigure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    regions_without_data: list[str] = field(default_factory=list)
    by_edition: dict[str, int] = field(default_factory=dict)  # edition label -> figures

    @property
    def ok(self) -> bool:
        return not self.problems


def plan_eurostat(
    *,
    session: Session,
    group_id: int,
    dataset_code: str,
    dataset: Dataset,
    indicator: Indicator,
    since: int | None = None,
) -> EurostatPlan:
    plan = EurostatPlan(dataset=dataset_code, indicator=indicator)
    for dimension, codes in dataset.dimensions.items():
        if dimension not in {"geo", "time"} and len(codes) > 1:
            shown = ", ".join(codes[:8]) + (", …" if len(codes) > 8 else "")
            plan.problems.append(
                f"The dimension {dimension} has {len(codes)} categories ({shown}): "
                f"choose one with --filter {dimension}=<code>."
            )
    times = dataset.dimensions["time"]
    not_yearly = [t for t in times if not _YEAR.match(t)]
    if not_yearly:
        plan.problems.append(
            f"Only yearly figures map to editions; the dataset has periods such as {not_yearly[0]}."
        )
    if plan.problems:
        return plan
    regions = partner_geo_codes(session=session, group_id=group_id)
    editions = editions_by_year(session=session, group_id=group_id)
    by_year: dict[int, BenchmarkEdition] = {}
    for edition in editions:
        by_year.setdefault(edition.year, edition)
    existing = indicator_figures(session=session, indicator_id=indicator.id)
    found_regions: set[str] = set()
    unmatched_years: set[str] = set()
    for obs in dataset.observations:
        year = int(obs.time)
        if since is not None and year < since:
            continue
        region = regions.get(obs.geo)
        if region is None:
            continue
        found_regions.add(obs.geo)
        edition = by_year.get(year)
        if edition is None:
            unmatched_years.add(obs.time)
            continue
        low, high = plausible_range(indicator)
        if not low <= obs.value <= high:
            plan.problems.append(
                f"{region.name} {obs.time}: {obs.value:g} is impossible for {indicator.code} "
                f"({indicator.unit}); is the filter for the unit right?"
            )
            continue
        note = f"Eurostat {dataset_code}, {obs.geo} {obs.time}"
        if obs.status:
            label = dataset.status_labels.get(obs.status, obs.status)
            note += f"; flag {obs.status} ({label})"
        plan.figures.append(
            PlannedFigure(
                edition_id=edition.id,
                region_id=region.id,
                value=obs.value,
                note=note,
                replaces=(edition.id, region.id) in existing,
            )
        )
        plan.by_edition[edition.label] = plan.by_edition.get(edition.label, 0) + 1
    plan.regions_without_data = sorted(
        f"{region.name} ({code})" for code, region in regions.items() if code not in found_regions
    )
    if unmatched_years:
        plan.notes.append(
            "No edition for "
            + ", ".join(sorted(unmatched_years))
            + ": those years' figures were left out."
        )
    samples = [e.label for e in editions if e.is_sample and e.label in plan.by_edition]
    if samples:
        plan.notes.append(
            f"{', '.join(samples)}: sample editions; they stay labelled as sample data."
        )
    if not plan.figures and not plan.problems:
        plan.problems.append(
            "No figure for a partner region falls in an edition's year; nothing to import."
        )
    return plan
