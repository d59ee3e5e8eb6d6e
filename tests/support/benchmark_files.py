"""Benchmark files as coordinators send them: wide and long, CSV and XLSX."""

from __future__ import annotations

import csv
import io

CODES = ("TERT", "LLL", "PUBRD", "BUSRD", "PCT", "SMECOLL", "KIEMP", "CHEMEMP", "SHAREDRD",
         "SKILLS", "PERMIT")  # fmt: skip

# Plausible 2014 figures, one row per region, as people write the regions' names.
FIGURES_2014 = {
    "Saxony-Anhalt": (25.1, 5.2, 0.9, 0.5, 1.8, 12, 14, 12.1, 10, 39, 9),
    "NRW": (26, 6.8, 1, 1.2, 4.4, 11, 16, 11, 12, 44, 8),
    "Asturias": (31, 10.5, 0.5, 0.5, 0.8, 10, 12, 7, 5, 30, 11),
    "Masovia": (33, 5, 0.9, 0.4, 0.5, 8, 16, 5, 6, 25, 13),
    "Usti": (11, 6, 0.2, 0.3, 0.4, 8, 9, 13, 5, 39, 10),
    "Cheshire West and Chester": (33, 17, 0.4, 1.5, 2.6, 14, 15, 11, 8, 45, 6),
    "Novara": (14, 6, 0.5, 0.9, 2.2, 13, 12, 14, 7, 43, 11),
    "NL42": (32, 12.2, 0.8, 1.6, 6.9, 15, 16, 14, 16, 52, 6),
    "Tees Valley": (27, 14.5, 0.4, 0.7, 1.6, 11, 13, 15, 9, 50, 7),
    "Schleswig-Holstein": (25, 7.4, 0.9, 0.6, 2.2, 10, 15, 6, 7, 35, 9),
}


def wide_rows(figures: dict | None = None) -> list[list[object]]:
    rows: list[list[object]] = [["region", *CODES]]
    for region, values in (figures or FIGURES_2014).items():
        rows.append([region, *values])
    return rows


def to_csv(rows: list[list[object]], *, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def wide_csv(figures: dict | None = None) -> bytes:
    return to_csv(wide_rows(figures))


def import_2014(sessions) -> None:
    """Open a real 2014 edition, as a coordinator's import would."""
    from commands.benchmark.imports import import_file
    from storage.groups import default_group

    with sessions() as session:
        group_id = default_group(session=session).id
    outcome = import_file(
        sessions,
        group_id=group_id,
        filename="benchmark-2014.csv",
        content=wide_csv(),
        edition="2014",
        year=None,
        replace=False,
        dry_run=False,
        source="test",
    )
    assert outcome.ok, outcome.reply
