"""Writing tables to an Excel workbook or a CSV file, numbers kept as numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | float | int | None

# What a spreadsheet program takes for the start of a formula in a cell it opens.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class SheetTable:
    """One worksheet: a header row, data rows, and an Excel number format per column."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> "0.0"
    widths: dict[int, int] = field(default_factory=dict)


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique worksheet name: no []:*?/\\, at most 31 characters."""
    base = _SHEET_FORBIDDEN.sub("-", wanted).strip("' ") or "Sheet"
    name = base[:MAX_SHEET_NAME]
    n = 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def workbook_bytes(tables: Sequence[SheetTable]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.name, taken))
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for column, number_format in table.formats.items():
            for (cell,) in sheet.iter_rows(
                min_row=2, min_col=column + 1, max_col=column + 1, max_row=sheet.max_row
            ):
                cell.number_format = number_format
        for index, title in enumerate(table.header):
            width = table.widths.get(index, min(max(len(str(title)), 8) + 2, 40))
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "C2" if len(table.header) > 2 else "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_csv_cell(c) for c in row] for row in rows])
    return out.getvalue().encode("utf-8")


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        # repr keeps every digit, so the file reads back to the very same number.
        text = repr(cell)
        return text[:-2] if text.endswith(".0") else text
    return str(cell)


def inert(value: Cell) -> Cell:
    """A cell no spreadsheet program runs as a formula (people's text can start with "=")."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
