"""``chemclust-bot export pilots --out FILE``."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.cli import main


def test_export_writes_a_workbook_or_a_csv(environment, core, partner, tmp_path, capsys):
    core.run_line(partner, "/chemclust join Masovia")
    core.run_line(partner, "/pilot log skills Teacher training held in Warsaw, 24 teachers")

    workbook_path = tmp_path / "report" / "pilots.xlsx"
    assert main(["export", "pilots", "--out", str(workbook_path)]) == 0
    assert f"Wrote {workbook_path}" in capsys.readouterr().out
    sheet = load_workbook(io.BytesIO(workbook_path.read_bytes()))["Skills foresight"]
    assert [c.value for c in sheet[2]][1:6:4] == [
        "Masovia",
        "Teacher training held in Warsaw, 24 teachers",
    ]

    csv_path = tmp_path / "skills.csv"
    assert main(["export", "pilots", "--out", str(csv_path), "--pilot", "skills"]) == 0
    assert "Skills foresight," in csv_path.read_text("utf-8-sig")


def test_wrong_file_type_or_pilot_is_refused(environment, tmp_path, capsys):
    assert main(["export", "pilots", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--out must end in .xlsx or .csv" in capsys.readouterr().err
    assert main(["export", "pilots", "--out", str(tmp_path / "x.csv"), "--pilot", "robotics"]) == 2
    assert "I don't know a pilot called “robotics”" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
