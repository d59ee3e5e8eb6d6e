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

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.audit_editions import edition_snapshot, record_editions
from storage.indicators import indicator_names, list_indicators
from storage.lookup import NameMatch, match_name
from storage.models import BenchmarkEdition, BenchmarkValue, Indicator, Region
from storage.numbers import YEAR
from storage.regions import list_regions, resolve_region
from storage.sheets import Problem, Sheet, column_name, parse_number
from storage.text import fold

# A cell that says "this region has no figure for this indicator" (Eurostat writes ":").
NO_FIGURE = frozenset({"n/a", "na", "n.a.", "-", "–", "—", ":", "..", "x"})
# Header names of the long layout, folded.
REGION_HEADERS = frozenset({"region", "region name", "partner", "partner region"})
INDICATOR_HEADERS = frozenset({"indicator", "indicator code", "code"})
VALUE_HEADERS = frozenset({"value", "figure"})
EDITION_HEADERS = frozenset({"edition", "edition label"})
# Descriptive columns people keep next to the figures; they are read past, and said so.
IGNORED_HEADERS = frozenset(
    {"nuts", "nuts code", "country", "unit", "note", "notes", "comment", "comments", "source"}
)
_YEAR_IN_LABEL = re.compile(r"\b(19|20)[0-9]{2}\b", re.ASCII)
# Marks a cell that is not read: another region's row in a partner's delivery, a bad value.
_SKIPPED = object()


@dataclass(frozen=True)
class PlannedValue:
    region_id: int
    indicator_id: int
    value: float
    row: int


@dataclass
class EditionPlan:
    label: str
    year: int
    existing_id: int | None = None
    existing_values: int = 0  # figures the import replaces
    was_sample: bool = False
    values: list[PlannedValue] = field(default_factory=list)
    no_figures: int = 0  # cells marked n/a

    @property
    def is_new(self) -> bool:
        return self.existing_id is None


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot be done."""

    filename: str
    layout: str = ""  # "long" or "wide"
    editions: list[EditionPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    regions_without_figures: list[str] = field(default_factory=list)
    # Set for a partner's delivery: only this region's figures are read and replaced.
    scope_region_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.editions)

    @property
    def value_count(self) -> int:
        return sum(len(e.values) for e in self.editions)


def is_no_figure(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip().lower() in NO_FIGURE


# --- validating ----------------------------------------------------------------------------


def plausible_range(indicator: Indicator) -> tuple[float, float]:
    """Values an indicator can take: shares are 0–100, every other unit is a non-negative count,
    rate or duration."""
    return (0.0, 100.0) if indicator.unit.strip().startswith("%") else (0.0, math.inf)


@dataclass
class _Lookups:
    """Name resolution for one import, each distinct spelling looked up once."""

    session: Session
    group_id: int
    indicators: list[Indicator]
    regions: dict[int, Region]
    _region_cache: dict[str, NameMatch[Region]] = field(default_factory=dict)
    _indicator_names: list[tuple[str, int]] = field(default_factory=list)

    def region(self, name: str) -> NameMatch[Region]:
        key = fold(name)
        if key not in self._region_cache:
            self._region_cache[key] = resolve_region(
                session=self.session, group_id=self.group_id, query=name
            )
        return self._region_cache[key]

    def indicator(self, name: str) -> NameMatch[Indicator]:
        if not self._indicator_names:
            self._indicator_names = indicator_names(self.indicators)
        by_id = {i.id: i for i in self.indicators}
        return match_name(name, self._indicator_names).map(by_id.__getitem__)


def _unknown(kind: str, found: NameMatch, *, hint: str = "") -> str:
    names = ", ".join(label_of(c) for c in found.candidates)
    if found.ambiguous:
        return f"“{found.query}” fits several {kind}s: {names}; write one of them in full."
    closest = f" Closest: {names}." if names else ""
    return f"Unknown {kind} “{found.query}”.{closest}{hint}"


def label_of(thing: Region | Indicator) -> str:
    if isinstance(thing, Indicator):
        return f"{thing.code} ({thing.name})"
    return thing.name


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


@dataclass
class _Entry:
    """One figure as the file states it, with where it stands."""

    row: int
    value_column: int
    cell: object
    region: Region | None
    indicator: Indicator | None
    edition: str | None = None


def _first(header: list[str], names: frozenset[str]) -> int | None:
    return next((i for i, h in enumerate(header) if h in names), None)


def _long_entries(
    sheet: Sheet,
    header: list[str],
    columns: tuple[int, int, int, int | None],
    lookups: _Lookups,
    plan: ImportPlan,
) -> list[_Entry]:
    region_at, indicator_at, value_at, edition_at = columns
    used = {region_at, indicator_at, value_at, edition_at}
    _note_ignored_columns(sheet, header, used, plan)
    entries = []
    for row, cells in sheet.rows:
        region = _region_cell(cells[region_at], row, region_at + 1, lookups, plan)
        indicator = _indicator_cell(cells[indicator_at], row, indicator_at + 1, lookups, plan)
        label = None
        if edition_at is not None:
            label = None if cells[edition_at] is None else str(cells[edition_at]).strip()
            if label is None:
                plan.problems.append(
                    Problem("No edition; write the edition's label.", row, edition_at + 1)
                )
        entries.append(_Entry(row, value_at + 1, cells[value_at], region, indicator, label))
    return entries


def _wide_entries(
    sheet: Sheet, header: list[str], lookups: _Lookups, plan: ImportPlan
) -> list[_Entry]:
    columns: dict[int, Indicator] = {}
    seen: dict[int, int] = {}  # indicator id -> column
    ignored: set[int] = set()
    for index, title in enumerate(sheet.header[1:], start=1):
        if title is None:
            if any(cells[index] is not None for _, cells in sheet.rows):
                plan.problems.append(
                    Problem(
                        "Figures under an empty header: head the column with an indicator "
                        "code or name.",
                        1,
                        index + 1,
                    )
                )
            continue
        if header[index] in IGNORED_HEADERS:
            ignored.add(index)
            continue
        found = lookups.indicator(str(title))
        if found.match is None:
            plan.problems.append(Problem(_unknown("indicator", found), 1, index + 1))
            continue
        if found.match.id in seen:
            plan.problems.append(
                Problem(
                    f"{found.match.code} has two columns: {column_name(seen[found.match.id])} "
                    f"and {column_name(index + 1)}.",
                    1,
                    index + 1,
                )
            )
            continue
        seen[found.match.id] = index + 1
        columns[index] = found.match
    if ignored:
        _note_ignored_columns(sheet, header, set(range(len(header))) - ignored, plan)
    if not columns and not plan.problems:
        plan.problems.append(
            Problem(
                "No indicator columns. Use a row per region with a column per indicator "
                "(headed by its code or name), or the long layout with the columns region, "
                "indicator, value.",
                1,
            )
        )
    entries = []
    for row, cells in sheet.rows:
        region = _region_cell(cells[0], row, 1, lookups, plan)
        for index, indicator in columns.items():
            entries.append(_Entry(row, index + 1, cells[index], region, indicator))
    return entries


def _note_ignored_columns(sheet: Sheet, header: list[str], used: set, plan: ImportPlan) -> None:
    ignored = [
        f"{column_name(i + 1)} “{sheet.header[i]}”"
        for i in range(len(header))
        if i not in used and sheet.header[i] is not None
    ]
    if ignored:
        plan.notes.append("Columns read past: " + ", ".join(ignored) + ".")


def _region_cell(
    cell: object, row: int, column: int, lookups: _Lookups, plan: ImportPlan
) -> Region | None:
    if cell is None:
        plan.problems.append(
            Problem("No region; write the region's name or NUTS code.", row, column)
        )
        return None
    found = lookups.region(str(cell))
    if found.match is None:
        hint = " Regions can be written as names or NUTS codes (NL42)."
        plan.problems.append(Problem(_unknown("region", found, hint=hint), row, column))
    return found.match


def _indicator_cell(
    cell: object, row: int, column: int, lookups: _Lookups, plan: ImportPlan
) -> Indicator | None:
    if cell is None:
        plan.problems.append(Problem("No indicator; write its code or name.", row, column))
        return None
    found = lookups.indicator(str(cell))
    if found.match is None:
        plan.problems.append(Problem(_unknown("indicator", found), row, column))
    return found.match


def _check_entries(
    entries: list[_Entry], lookups: _Lookups, plan: ImportPlan, sheet: Sheet
) -> None:
    """Values: numbers within their indicator's range, no figure stated twice."""
    seen: dict[tuple[str | None, int, int], int] = {}
    skipped_regions: set[str] = set()
    for entry in entries:
        scope = plan.scope_region_id
        if scope is not None and entry.region is not None and entry.region.id != scope:
            skipped_regions.add(entry.region.name)
            entry.region = None  # not this partner's row: read past it
            entry.cell = _SKIPPED
            continue
        if entry.cell is None:
            plan.problems.append(
                Problem(
                    "No value; write the figure, or n/a when the region has none.",
                    entry.row,
                    entry.value_column,
                )
            )
            continue
        if is_no_figure(entry.cell):
            continue
        number = parse_number(entry.cell, decimal_comma=sheet.decimal_comma)
        if number is None:
            comma = (
                " Write decimals with a point (1.5)."
                if isinstance(entry.cell, str) and "," in entry.cell and not sheet.decimal_comma
                else ""
            )
            plan.problems.append(
                Problem(f"“{entry.cell}” is not a number.{comma}", entry.row, entry.value_column)
            )
            entry.cell = _SKIPPED
            continue
        if not math.isfinite(number):
            plan.problems.append(Problem("Not a finite number.", entry.row, entry.value_column))
            continue
        if entry.indicator is not None:
            low, high = plausible_range(entry.indicator)
            if not low <= number <= high:
                bounds = f"between {low:g} and {high:g}" if high < math.inf else f"at least {low:g}"
                plan.problems.append(
                    Problem(
                        f"{number:g} is impossible for {entry.indicator.code} "
                        f"({entry.indicator.unit}): it must be {bounds}.",
                        entry.row,
                        entry.value_column,
                    )
                )
        entry.cell = number
        if entry.region is None or entry.indicator is None:
            continue
        key = (fold(entry.edition) if entry.edition else None, entry.region.id, entry.indicator.id)
        if key in seen:
            plan.problems.append(
                Problem(
                    f"{entry.region.name} · {entry.indicator.code} is given twice: "
                    f"rows {seen[key]} and {entry.row}.",
                    entry.row,
                    entry.value_column,
                )
            )
        else:
            seen[key] = entry.row
    if skipped_regions:
        plan.notes.append(
            "Rows of other regions were left out (only your region's figures are taken): "
            + ", ".join(sorted(skipped_regions))
            + "."
        )


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


# --- writing -------------------------------------------------------------------------------


def apply_import(
    *, session: Session, group_id: int, plan: ImportPlan, source: str, is_sample: bool = False
) -> list[BenchmarkEdition]:
    """Write a checked plan: create or replace its editions (or one region's figures in them).

    Runs in the caller's transaction, so a failure part-way leaves the database as it was.
    """
    if not plan.ok:
        raise ValueError("an import with problems cannot be applied")
    written, replaced = [], {}
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
            replaced[edition.id] = edition_snapshot(
                session=session, edition=edition, region_id=plan.scope_region_id
            )
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
    record_editions(
        session=session, editions=written, before=replaced, region_id=plan.scope_region_id
    )
    return written
