"""Reading a benchmark sheet's cells: its layout, whose figure each cell is, and whether it is one.

Regions resolve like ``/benchmark`` (names, aliases, NUTS codes, small typos), indicators by
code or name; every cell that cannot be read becomes a problem with its row and column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from storage.benchmark_plan import ImportPlan
from storage.indicators import indicator_names
from storage.lookup import NameMatch, match_name
from storage.models import Indicator, Region
from storage.regions import resolve_region
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
# Marks a cell that is not read: another region's row in a partner's delivery, a bad value.
_SKIPPED = object()


def is_no_figure(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip().lower() in NO_FIGURE


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
