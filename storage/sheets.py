"""Reading a table from a CSV or XLSX file the way people save them, for every importer.

CSV in UTF-8 or the Windows code page, separated by commas, semicolons or tabs; the first
worksheet of a workbook. Blank rows are skipped but rows keep the numbers a spreadsheet shows,
so problems can be reported by row and column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from storage.text import clean_text

MAX_FILE_BYTES = 5 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
# The digits 0–9 only: float() would also read "１２" and "١٢" (see storage.numbers).
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", re.ASCII)


class UnreadableFile(Exception):
    """The file is not a table this importer can read; the message says why."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; ``row`` and ``column`` are spreadsheet numbers (1-based)."""

    message: str
    row: int | None = None
    column: int | None = None

    @property
    def where(self) -> str:
        if self.row is None:
            return "" if self.column is None else f"column {column_name(self.column)}"
        if self.column is None:
            return f"row {self.row}"
        return f"row {self.row}, column {column_name(self.column)}"


@dataclass(frozen=True)
class Sheet:
    """The cells of a file: the header and the data rows with their spreadsheet row numbers.

    Cells are ``str`` (from CSV, or text in a workbook), ``float``/``int`` (numbers in a
    workbook) or ``None`` (empty).
    """

    filename: str
    header: tuple[object, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    decimal_comma: bool = False


def column_name(number: int) -> str:
    """A 1-based column number with its spreadsheet letter: 3 -> "3 (C)", 28 -> "28 (AB)"."""
    letters = ""
    n = number
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{number} ({letters})"


def read_sheet(content: bytes, filename: str) -> Sheet:
    """The table in a ``.csv`` or ``.xlsx`` file (the first worksheet of a workbook)."""
    filename = clean_text(filename)
    suffix = PurePath(filename).suffix.lower()
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"{filename} is {len(content) // 1024:,} KB; "
            f"the limit is {MAX_FILE_BYTES // 1024:,} KB."
        )
    if suffix == ".csv":
        return _read_csv(content, filename)
    if suffix == ".xlsx":
        return _read_xlsx(content, filename)
    raise UnreadableFile(
        f"I read .csv and .xlsx files; {filename} is neither. In Excel: File → Save As → "
        "Excel Workbook (.xlsx) or CSV."
    )


def _decode(content: bytes) -> str:
    # Excel on Windows still writes CSV in the ANSI code page; UTF-8 (with or without BOM) first.
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """Comma, semicolon (European Excel) or tab: whichever splits the header line most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _read_csv(content: bytes, filename: str) -> Sheet:
    import pandas as pd

    text = _decode(content)
    if not text.strip():
        raise UnreadableFile(f"{filename} is empty.")
    sep = _delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as error:
        raise UnreadableFile(f"{filename} is not a regular table: {error}".rstrip()) from error
    records = [tuple(_blank_to_none(cell) for cell in row) for row in frame.itertuples(index=False)]
    # Semicolon-separated files come from locales that write decimals with a comma.
    return _sheet(filename, records, decimal_comma=sep == ";")


def _read_xlsx(content: bytes, filename: str) -> Sheet:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(f"{filename} is not an Excel workbook I can open.") from error
    try:
        sheet = workbook.worksheets[0]
        records = [
            tuple(_blank_to_none(c) for c in row) for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    return _sheet(filename, records, decimal_comma=False)


def _blank_to_none(cell: object) -> object:
    if cell is None:
        return None
    if isinstance(cell, str):
        # People's text, cleaned like any they type: a NUL in a CSV cell is stored by SQLite
        # but refused by PostgreSQL.
        stripped = clean_text(cell).strip()
        return stripped or None
    if isinstance(cell, bool):  # a TRUE/FALSE cell is text to us, not 1/0
        return str(cell).upper()
    return cell


def _sheet(filename: str, records: list[tuple[object, ...]], *, decimal_comma: bool) -> Sheet:
    numbered = [
        (n, row) for n, row in enumerate(records, start=1) if any(c is not None for c in row)
    ]
    if not numbered:
        raise UnreadableFile(f"{filename} has no rows.")
    # Blank rows are dropped but numbers are kept, so rows are named as the file numbers them.
    (_, header), *rows = numbered
    width = max(len(r) for _, r in numbered)
    pad = lambda row: tuple(row) + (None,) * (width - len(row))  # noqa: E731
    return Sheet(
        filename=filename,
        header=pad(header),
        rows=tuple((n, pad(r)) for n, r in rows),
        decimal_comma=decimal_comma,
    )


def parse_number(cell: object, *, decimal_comma: bool) -> float | None:
    """The cell as a number, or None when it is not one. ``1 234,5`` needs ``decimal_comma``."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    raw = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if decimal_comma and "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    if not _PLAIN_NUMBER.match(raw):
        return None
    return float(raw)
