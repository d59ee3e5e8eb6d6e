"""Practices as spreadsheets: export to XLSX and CSV, import from either, all or nothing.

Both directions use the same columns, headed by the field labels ("Resources needed"), so an
exported file can be edited and imported again: rows with an ID change that practice, rows
without one add a practice. An import checks every row before it writes anything and reports
each problem with its spreadsheet row number (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from storage.models import Practice
from storage.numbers import NumberError
from storage.practice_fields import (
    FIELDS,
    FIELDS_BY_NAME,
    PRACTICE_NUMBER,
    InvalidPractice,
    PracticeValues,
    clean_practice,
    field_named,
    practice_strings,
)
from storage.practices import create_practice, get_practice, update_practice
from storage.tables_export import FORMULA_STARTS, inert
from storage.text import clean_text, fold

ID_COLUMN = "ID"
SAMPLE_COLUMN = "Sample"
# Written for the reader, ignored on import.
EXPORT_ONLY_COLUMNS = ("Added", "Changed")
COLUMNS = (ID_COLUMN, *(spec.label for spec in FIELDS), SAMPLE_COLUMN, *EXPORT_ONLY_COLUMNS)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
# Spreadsheet programs run a cell that starts with one of these as a formula.
_YES = {"yes", "y", "true", "1", "sample"}
_NO = {"no", "n", "false", "0", ""}
_COLUMN_WIDTHS = {"Title": 50, "Summary": 60, "Description": 60, "Themes": 40, "Region": 22}


# Export ------------------------------------------------------------------------------------


def export_rows(practices: Sequence[Practice]) -> list[list[str | int | None]]:
    rows: list[list[str | int | None]] = []
    for practice in practices:
        strings = practice_strings(practice)
        rows.append(
            [
                practice.id,
                *(practice.year if spec.name == "year" else strings[spec.name] for spec in FIELDS),
                "yes" if practice.is_sample else "no",
                practice.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                practice.updated_at.strftime("%Y-%m-%d %H:%M UTC"),
            ]
        )
    return rows


def practices_csv(practices: Sequence[Practice]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the accents right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in export_rows(practices):
        writer.writerow(["" if cell is None else inert(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def practices_xlsx(practices: Sequence[Practice]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Good practices"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(practices):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # Text stays text even when it starts like a formula ("=...").
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(vertical="top", wrap_text=len(cell.value) > 60)
    for index, title in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _COLUMN_WIDTHS.get(title, 18)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Import ------------------------------------------------------------------------------------


class ImportFailed(Exception):
    """The file cannot be imported; ``problems`` says why, row by row. Nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int


@dataclass(frozen=True)
class _Row:
    practice: Practice | None  # the practice to change, or None to add one
    values: PracticeValues
    is_sample: bool | None  # None: not given


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[dict[str, str]]  # by header, every cell a string, blank rows kept


def read_table(path: Path) -> Table:
    """The header and rows of a CSV or XLSX file."""
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        raise ImportFailed([f"{path.name}: give a .csv or .xlsx file."])
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig") as file:
                header = file.readline()
            # Excel writes ";" where the decimal separator is a comma (Germany, Italy, …).
            delimiter = max((",", ";", "\t"), key=header.count)
            table = pd.read_csv(
                path, dtype=str, keep_default_na=False, sep=delimiter, encoding="utf-8-sig"
            )
        else:
            table = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except FileNotFoundError:
        raise ImportFailed([f"{path}: no such file."]) from None
    except UnicodeDecodeError:
        raise ImportFailed(
            [f"{path.name}: the file is not UTF-8 text; save it as UTF-8 CSV."]
        ) from None
    except Exception as error:  # pandas and openpyxl raise many kinds for unreadable files
        raise ImportFailed([f"{path.name}: cannot be read ({error})."]) from None
    table.columns = [clean_text(str(column)).strip() for column in table.columns]
    rows = [
        {column: clean_text(str(value)) for column, value in record.items()}
        for record in table.to_dict(orient="records")
    ]
    return Table(headers=list(table.columns), rows=rows)


def import_practice_file(
    *, session: Session, group_id: int, path: Path, now: datetime
) -> ImportResult:
    return import_practices(session=session, group_id=group_id, table=read_table(path), now=now)


def import_practices(
    *, session: Session, group_id: int, table: Table, now: datetime
) -> ImportResult:
    """Check every row, then add or change the practices; raise ``ImportFailed`` instead."""
    columns = _columns(table)
    if not table.rows:
        raise ImportFailed(["The file has no rows below its header."])
    problems: list[str] = []
    checked: list[_Row] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in enumerate(table.rows, start=2):
        raw = {name: _plain(row.get(header, "")) for header, name in columns.items()}
        if not any(raw.values()):
            continue
        try:
            checked_row = _check_row(raw, session=session, group_id=group_id, year=now.year)
        except InvalidPractice as invalid:
            problems += [
                f"Row {number}, {_label(name)}: {message}"
                for name, message in invalid.errors.items()
            ]
            continue
        except _RowProblem as problem:
            problems.append(f"Row {number}: {problem}")
            continue
        key = (checked_row.values.region.id, fold(checked_row.values.title))
        if key in seen:
            problems.append(f"Row {number}: the same title and region as row {seen[key]}.")
            continue
        seen[key] = number
        checked.append(checked_row)
    if problems:
        raise ImportFailed(problems)
    if not checked:
        raise ImportFailed(["The file has no practices in it, only blank rows."])
    return _write(checked, session=session, group_id=group_id, now=now)


class _RowProblem(Exception):
    pass


def _columns(table: Table) -> dict[str, str]:
    """Header -> field name (or "id", "is_sample"); unknown, repeated or missing columns are
    errors. A column without a heading is ignored when it is empty."""
    columns: dict[str, str] = {}
    problems: list[str] = []
    for position, header in enumerate(table.headers, start=1):
        folded = fold(header)
        if header.startswith("Unnamed:"):  # pandas' name for a column without a heading
            if any(row.get(header, "").strip() for row in table.rows):
                problems.append(f"Column {position} has values but no heading.")
            continue
        if folded in {fold(c) for c in EXPORT_ONLY_COLUMNS}:
            continue
        if folded == fold(ID_COLUMN):
            name = "id"
        elif folded in {fold(SAMPLE_COLUMN), "is sample"}:
            name = "is_sample"
        elif (spec := field_named(header)) is not None:
            name = spec.name
        else:
            problems.append(f"Column “{header}” is not a field of a practice.")
            continue
        if name in columns.values():
            twin = next(h for h, n in columns.items() if n == name)
            problems.append(f"Columns “{twin}” and “{header}” are the same field; keep one.")
            continue
        columns[header] = name
    missing = [s.label for s in FIELDS if s.required and s.name not in columns.values()]
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    if problems:
        known = ", ".join(COLUMNS)
        raise ImportFailed([*problems, f"Columns a practice file may have: {known}."])
    return columns


def _plain(value: str) -> str:
    """Undo the export's protection against formulas ("'=..." back to "=...")."""
    value = "" if value is None else str(value)
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _label(name: str) -> str:
    return FIELDS_BY_NAME[name].label if name in FIELDS_BY_NAME else name


def _check_row(raw: dict[str, str], *, session: Session, group_id: int, year: int) -> _Row:
    practice = None
    wanted = raw.pop("id", "").strip().removesuffix(".0")
    if wanted:
        try:
            number = PRACTICE_NUMBER.read(wanted)
        except NumberError as error:
            raise _RowProblem(f"ID: {error} Leave it empty to add a practice.") from None
        practice = get_practice(session=session, group_id=group_id, practice_id=number)
        if practice is None:
            raise _RowProblem(f"there is no practice #{wanted}; leave the ID empty to add one.")
    sample_text = raw.pop("is_sample", "").strip()
    if fold(sample_text) not in _YES | _NO:
        raise _RowProblem(f"{SAMPLE_COLUMN} must be yes or no, not “{sample_text}”.")
    is_sample = None if not sample_text else fold(sample_text) in _YES
    values = clean_practice(
        raw,
        session=session,
        group_id=group_id,
        this_year=year,
        practice_id=practice.id if practice else None,
    )
    return _Row(practice, values, is_sample)


def _write(rows: list[_Row], *, session: Session, group_id: int, now: datetime) -> ImportResult:
    added = changed = unchanged = 0
    for row in rows:
        if row.practice is None:
            create_practice(
                session=session,
                group_id=group_id,
                values=row.values,
                now=now,
                is_sample=bool(row.is_sample),
            )
            added += 1
        else:
            fields = update_practice(
                session=session, practice=row.practice, values=row.values, now=now
            )
            flag = row.is_sample is not None and row.is_sample != row.practice.is_sample
            if flag:
                row.practice.is_sample = bool(row.is_sample)
                row.practice.updated_at = now
            if fields or flag:
                changed += 1
            else:
                unchanged += 1
    session.flush()
    return ImportResult(added=added, changed=changed, unchanged=unchanged)
