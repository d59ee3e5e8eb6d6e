"""``chemclust-bot export audit``: every change, oldest first, as CSV or a workbook."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from storage.audit_export import HEADER


def test_the_trail_as_csv_and_xlsx_after_changes_in_chat(
    db_cli, database_url, core, coordinator, tmp_path
):
    core.run_line(coordinator, "/chemclust join Limburg")
    core.run_line(coordinator, "/practice edit 2 year=2009 | contact==HYPERLINK(1)")

    code, out, err = db_cli(database_url, "export", "audit", "--out", str(tmp_path / "a.csv"))
    assert (code, err) == (0, ""), err
    assert "audit entries" in out
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text())))
    assert tuple(rows[0]) == HEADER
    edit = next(r for r in rows if r[5:8] == ["practice", "2", "edit"])
    assert edit[1:5] == ["slack", coordinator.user_id, coordinator.user_name, "Limburg"]
    assert json.loads(edit[9]) == {"contact": "=HYPERLINK(1)", "year": 2009}

    code, _, _ = db_cli(database_url, "export", "audit", "--out", str(tmp_path / "a.xlsx"))
    assert code == 0
    sheet = load_workbook(tmp_path / "a.xlsx").active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(cells[0]) == HEADER
    assert len(cells) == len(rows)

    code, _, err = db_cli(database_url, "export", "audit", "--out", str(tmp_path / "a.txt"))
    assert code == 2
    assert "--out must end in .xlsx or .csv" in err
