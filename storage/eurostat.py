"""Regional statistics from Eurostat's dissemination API (JSON-stat 2.0) into the benchmark.

One request fetches a dataset for the partner regions' NUTS codes; every other dimension must
be pinned to one category with filters (``unit=PC_GDP``). Values map to an indicator and, by
year, to the editions; Eurostat's status flags (p provisional, e estimated, b break in series)
are kept in the value's note.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.audit_editions import edition_snapshot, record_editions
from storage.benchmark_import import plausible_range
from storage.models import BenchmarkEdition, BenchmarkValue, Indicator, Region
from storage.regions import list_regions

DEFAULT_API_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/"
TIMEOUT_SECONDS = 60
# Eurostat's flags, for responses that do not label them.
STATUS_LABELS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}
_YEAR = re.compile(r"^\d{4}$")
_DATASET = re.compile(r"^[A-Za-z0-9_]+$")


class EurostatError(Exception):
    """Eurostat could not be asked, or answered something that cannot be imported."""


def api_url(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    url = env.get("EUROSTAT_API_URL", "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def fetch(
    dataset: str, params: list[tuple[str, str]], *, base_url: str | None = None
) -> dict[str, Any]:
    """The dataset as a JSON-stat document; repeated parameters select several codes."""
    import requests

    if not _DATASET.match(dataset):
        raise EurostatError(f"“{dataset}” is not a Eurostat dataset code (e.g. rd_e_gerdreg).")
    url = (base_url or api_url()) + dataset
    query = [("format", "JSON"), ("lang", "EN"), *params]
    try:
        response = requests.get(url, params=query, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise EurostatError(f"Eurostat could not be reached: {error}") from error
    try:
        document = response.json()
    except ValueError:
        document = None
    if response.status_code != 200 or not isinstance(document, dict) or "error" in document:
        raise EurostatError(_error_text(dataset, response.status_code, document, response.text))
    return document


def _error_text(dataset: str, status: int, document: Any, body: str) -> str:
    detail = ""
    if isinstance(document, dict) and "error" in document:
        errors = document["error"]
        errors = errors if isinstance(errors, list) else [errors]
        detail = "; ".join(
            str(e.get("label", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    detail = detail or body.strip()[:200] or "no details"
    return f"Eurostat refused {dataset} (HTTP {status}): {detail}"


@dataclass(frozen=True)
class Observation:
    geo: str
    time: str
    value: float
    status: str | None  # a flag such as "p", or None


@dataclass(frozen=True)
class Dataset:
    label: str
    dimensions: dict[str, list[str]]  # dimension id -> category codes, in index order
    observations: list[Observation]
    status_labels: dict[str, str]


def _categories(dimension: dict[str, Any]) -> list[str]:
    index = dimension.get("category", {}).get("index", {})
    if isinstance(index, list):
        return [str(code) for code in index]
    return [code for code, _ in sorted(index.items(), key=lambda item: item[1])]


def _sparse(raw: Any, total: int) -> dict[int, Any]:
    """JSON-stat ``value``/``status``: an object keyed by flat index, a dense array, or one
    value for every cell."""
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {int(key): item for key, item in raw.items() if item is not None}
    if isinstance(raw, list):
        return {i: item for i, item in enumerate(raw) if item is not None}
    return dict.fromkeys(range(total), raw)


def positions(flat: int, sizes: list[int]) -> list[int]:
    """The category positions of a flat index; row-major, the last dimension varies fastest."""
    out = []
    for size in reversed(sizes):
        flat, position = divmod(flat, size)
        out.append(position)
    return out[::-1]


def parse(document: dict[str, Any]) -> Dataset:
    """A JSON-stat 2.0 dataset, with its ``geo`` and ``time`` observations."""
    try:
        ids: list[str] = list(document["id"])
        sizes: list[int] = [int(n) for n in document["size"]]
        dimensions = {d: _categories(document["dimension"][d]) for d in ids}
    except (KeyError, TypeError, ValueError) as error:
        raise EurostatError(f"The answer is not a JSON-stat dataset (missing {error}).") from error
    if "geo" not in ids or "time" not in ids:
        raise EurostatError("The dataset has no geo and time dimensions to map to regions.")
    total = 1
    for n in sizes:
        total *= n
    values = _sparse(document.get("value"), total)
    statuses = _sparse(document.get("status"), total)
    geo_at, time_at = ids.index("geo"), ids.index("time")
    observations = []
    for flat, value in sorted(values.items()):
        where = positions(flat, sizes)
        observations.append(
            Observation(
                geo=dimensions["geo"][where[geo_at]],
                time=dimensions["time"][where[time_at]],
                value=float(value),
                status=statuses.get(flat) or None,
            )
        )
    labels = dict(STATUS_LABELS)
    extension_labels = document.get("extension", {}).get("status", {}).get("label", {})
    if isinstance(extension_labels, dict):
        labels.update({k: str(v).lower() for k, v in extension_labels.items()})
    return Dataset(
        label=str(document.get("label", "")),
        dimensions=dimensions,
        observations=observations,
        status_labels=labels,
    )


@dataclass(frozen=True)
class PlannedFigure:
    edition_id: int
    region_id: int
    value: float
    note: str
    replaces: bool


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


def partner_geo_codes(*, session: Session, group_id: int) -> dict[str, Region]:
    """The NUTS code Eurostat is asked for, per partner region (its main code)."""
    return {r.nuts_code: r for r in list_regions(session=session, group_id=group_id)}


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
    editions = list(
        session.scalars(
            select(BenchmarkEdition)
            .where(BenchmarkEdition.group_id == group_id)
            .order_by(BenchmarkEdition.year, BenchmarkEdition.id)
        )
    )
    by_year: dict[int, BenchmarkEdition] = {}
    for edition in editions:
        by_year.setdefault(edition.year, edition)
    existing = set(
        session.execute(
            select(BenchmarkValue.edition_id, BenchmarkValue.region_id).where(
                BenchmarkValue.indicator_id == indicator.id
            )
        ).all()
    )
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


def apply_eurostat(*, session: Session, plan: EurostatPlan) -> int:
    """Write the planned figures (replacing the indicator's earlier ones); the caller commits."""
    if not plan.ok:
        raise ValueError("a Eurostat import with problems cannot be applied")
    editions = [session.get_one(BenchmarkEdition, i) for i in {f.edition_id for f in plan.figures}]
    before = {e.id: edition_snapshot(session=session, edition=e) for e in editions}
    for figure in plan.figures:
        session.execute(
            delete(BenchmarkValue).where(
                BenchmarkValue.edition_id == figure.edition_id,
                BenchmarkValue.region_id == figure.region_id,
                BenchmarkValue.indicator_id == plan.indicator.id,
            )
        )
        session.add(
            BenchmarkValue(
                edition_id=figure.edition_id,
                region_id=figure.region_id,
                indicator_id=plan.indicator.id,
                value=figure.value,
                note=figure.note,
            )
        )
    record_editions(session=session, editions=editions, before=before, action="eurostat")
    return len(plan.figures)
