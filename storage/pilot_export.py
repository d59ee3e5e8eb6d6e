"""Pilot updates as a workbook (one sheet per pilot) and as CSV, for the implementation report."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

COLUMNS = ("Date", "Region", "Author", "Status", "Milestone", "Text", "Link")
# Excel refuses these in sheet titles and allows 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31
# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    posted_at: datetime  # in the zone the export is written for, without tzinfo (Excel has none)
    region: str
    author: str
    status: str
    milestone: str
    text: str
    link: str

    def cells(self) -> tuple[object, ...]:
        return (
            self.posted_at,
            self.region,
            self.author,
            self.status,
            self.milestone,
            self.text,
            self.link,
        )


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Sequence[ExportRow]


def sheet_title(name: str, taken: set[str]) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'") or "Sheet"
    if len(title) > MAX_SHEET_TITLE:
        # Cut at a word: "Chemical parks as knowledge", not "… knowledge sit".
        cut = title[: MAX_SHEET_TITLE + 1].rsplit(" ", 1)[0].rstrip()
        title = cut if len(cut) >= MAX_SHEET_TITLE // 2 else title[:MAX_SHEET_TITLE].rstrip()
    candidate, number = title, 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = title[: MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def defuse(value: str) -> str:
    """Text that a spreadsheet program would run as a formula, made inert with a quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def workbook_bytes(sheets: Sequence[Sheet], *, timezone: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    widths = (17, 24, 22, 11, 12, 80, 16)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title, taken))
        header = list(COLUMNS)
        header[0] = f"Date ({timezone})"
        worksheet.append(header)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            worksheet.append([_cell(value) for value in row.cells()])
            line = worksheet.max_row
            worksheet.cell(line, 1).number_format = "yyyy-mm-dd hh:mm"
            worksheet.cell(line, 6).alignment = Alignment(wrap_text=True, vertical="top")
            if row.link:
                worksheet.cell(line, 7).hyperlink = row.link
                worksheet.cell(line, 7).style = "Hyperlink"
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    # openpyxl stores a string starting with "=" as a formula; user text must stay text.
    return defuse(value) if isinstance(value, str) else value


def csv_bytes(sheets: Sequence[Sheet], *, timezone: str) -> bytes:
    """One CSV for all pilots, with the pilot as the first column; UTF-8 with BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Pilot", f"Date ({timezone})", *COLUMNS[1:]])
    for sheet in sheets:
        for row in sheet.rows:
            date = row.posted_at.strftime("%Y-%m-%d %H:%M")
            rest = [defuse(str(value)) for value in row.cells()[1:]]
            writer.writerow([defuse(sheet.title), date, *rest])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
