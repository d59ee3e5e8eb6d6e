"""Practices as spreadsheets: exports that import again, imports that are all or nothing."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from storage.models import utcnow
from storage.practice_files import (
    COLUMNS,
    ImportFailed,
    import_practice_file,
    practices_csv,
    practices_xlsx,
)
from storage.practices import list_practices
from tests.support.practices import GROUP_ID, add_practice, count, get


def export(sessions, kind: str) -> bytes:
    with sessions() as session:
        practices = list_practices(session=session, group_id=GROUP_ID)
        return practices_xlsx(practices) if kind == "xlsx" else practices_csv(practices)


def load(sessions, path):
    with sessions.begin() as session:
        return import_practice_file(session=session, group_id=GROUP_ID, path=path, now=utcnow())


def failure(sessions, path) -> list[str]:
    with pytest.raises(ImportFailed) as raised:
        load(sessions, path)
    return raised.value.problems


def write_csv(path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)


def write_xlsx(path, rows: list[list]) -> None:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def test_export_has_every_practice_and_field(sessions):
    sheet = load_workbook(io.BytesIO(export(sessions, "xlsx"))).active
    rows = list(sheet.values)
    assert rows[0] == COLUMNS
    assert len(rows) == 26
    brightlands = next(r for r in rows if r[1] == "Open innovation at Brightlands Chemelot Campus")
    record = dict(zip(COLUMNS, brightlands, strict=True))
    assert record["Region"] == "Limburg"
    assert record["Year"] == 2012
    assert record["Sample"] == "yes"
    assert "150 companies" in record["Evidence of success"]
    text = export(sessions, "csv").decode("utf-8-sig")
    assert "Ústí" in text
    assert len(list(csv.reader(io.StringIO(text)))) == 26


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_unchanged_export_imports_as_unchanged_and_an_edit_as_a_change(sessions, tmp_path, kind):
    path = tmp_path / f"library.{kind}"
    path.write_bytes(export(sessions, kind))
    result = load(sessions, path)
    assert (result.added, result.changed, result.unchanged) == (0, 0, 25)

    rows = list(load_workbook(path).active.values) if kind == "xlsx" else None
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    header, first = list(rows[0]), list(rows[1])
    first[header.index("Year")] = "2010"
    first[header.index("Sample")] = "no"
    new = [""] * len(header)
    new[header.index("Title")] = "Regional chemistry olympiad"
    new[header.index("Region")] = "Schleswig-Holstein"
    new[header.index("Themes")] = "skills"
    new[header.index("Summary")] = "Pupils compete in chemistry tasks set by industry."
    edited = tmp_path / f"edited.{kind}"
    (write_xlsx if kind == "xlsx" else write_csv)(edited, [header, first, new])
    result = load(sessions, edited)
    assert (result.added, result.changed, result.unchanged) == (1, 1, 0)
    changed = get(sessions, int(first[0]))
    assert changed.year == 2010
    assert changed.is_sample is False
    assert count(sessions) == 26


def test_text_that_looks_like_a_formula_stays_text_both_ways(sessions, tmp_path):
    sneaky = add_practice(sessions, title='=HYPERLINK("http://evil.example","click")')
    csv_text = export(sessions, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    cell = next(
        row[1]
        for row in load_workbook(io.BytesIO(export(sessions, "xlsx"))).active.iter_rows()
        if row[0].value == sneaky
    )
    assert cell.data_type == "s"
    path = tmp_path / "round.csv"
    path.write_text(csv_text, encoding="utf-8")
    assert load(sessions, path).unchanged == 26
    assert get(sessions, sneaky).title.startswith("=HYPERLINK")


def test_every_problem_is_reported_with_its_row_and_nothing_is_written(sessions, tmp_path):
    path = tmp_path / "practices.csv"
    write_csv(
        path,
        [
            ["Title", "Region", "Themes", "Summary", "Link", "Year"],
            ["A fine new practice", "Limburg", "Financing", "Fine.", "", ""],
            ["Another one", "Atlantis", "Financing", "Fine.", "ftp://x", "1800"],
            ["", "", "", "", "", ""],
            ["Third practice", "Novara", "", "", "", ""],
            ["A fine new practice", "Limburg", "Financing", "Twice.", "", ""],
        ],
    )
    problems = failure(sessions, path)
    assert problems == [
        "Row 3, Region: I don't know a partner region called “Atlantis”. Closest: "
        + problems[0].split("Closest: ")[1],
        "Row 3, Link: Give a web address starting with http:// or https://.",
        f"Row 3, Year: “1800” is not a year: write it with the digits 0–9, from 1950 to "
        f"{utcnow().year}, e.g. 2011.",
        "Row 5, Themes: Fill in the themes.",
        "Row 5, Summary: Fill in the summary.",
        "Row 6: the same title and region as row 2.",
    ]
    assert count(sessions) == 25


def test_unknown_ids_unknown_and_missing_columns_are_refused(sessions, tmp_path):
    path = tmp_path / "ids.xlsx"
    write_xlsx(
        path,
        [
            ["ID", "Title", "Region", "Themes", "Summary", "Sample"],
            [999, "Ghost practice", "Limburg", "Financing", "Boo.", "no"],
            ["x1", "Odd practice", "Limburg", "Financing", "Hm.", "maybe"],
        ],
    )
    assert failure(sessions, path) == [
        "Row 2: there is no practice #999; leave the ID empty to add one.",
        "Row 3: ID: “x1” is not a practice number: write it with the digits 0–9, from 1 to "
        "2,147,483,647, e.g. 12. Leave it empty to add a practice.",
    ]
    columns = tmp_path / "columns.csv"
    write_csv(
        columns,
        [
            ["Title", "Sumary", "Region", "", "Resources", "Resources needed", ""],
            ["A title", "x", "Limburg", "stray", "a", "b", ""],
        ],
    )
    problems = failure(sessions, columns)
    assert problems[:4] == [
        "Column “Sumary” is not a field of a practice.",
        "Column 4 has values but no heading.",
        "Columns “Resources” and “Resources needed” are the same field; keep one.",
        "Missing columns: Themes, Summary.",
    ]
    assert problems[4].startswith("Columns a practice file may have: ID, Title, Region")
    assert count(sessions) == 25


def test_semicolon_csv_from_a_european_excel_is_read(sessions, tmp_path):
    path = tmp_path / "excel.csv"
    write_csv(
        path,
        [
            ["Title", "Region", "Themes", "Summary", "Organisation"],
            [
                "Innovation vouchers",
                "Asturias",
                "financing; open innovation",
                "Vouchers, small.",
                "IDEPA",
            ],
        ],
        delimiter=";",
    )
    assert load(sessions, path).added == 1


def test_files_that_cannot_be_read_are_refused_plainly(sessions, tmp_path):
    assert failure(sessions, tmp_path / "missing.csv")[0].endswith("no such file.")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert failure(sessions, notes) == ["notes.txt: give a .csv or .xlsx file."]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert "cannot be read" in failure(sessions, broken)[0]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Title,Region,Themes,Summary\nÚstí thing,Ústí,Financing,x\n".encode("cp1250"))
    assert "not UTF-8" in failure(sessions, latin)[0]
    empty = tmp_path / "empty.csv"
    empty.write_text("Title,Region,Themes,Summary\n")
    assert failure(sessions, empty) == ["The file has no rows below its header."]
