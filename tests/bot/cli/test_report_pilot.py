"""``chemclust-bot report pilot <pilot> --out FILE.docx``."""

from __future__ import annotations

import io

from docx import Document

from bot.cli import main
from tests.commands.pilots.test_report import table_texts


def test_the_cli_writes_the_report_the_command_sends(environment, core, partner, tmp_path, capsys):
    core.run_line(partner, "/chemclust join Masovia")
    core.run_line(partner, "/pilot log skills Teacher training held in Warsaw, 24 teachers")
    sent = core.run_line(partner, "/pilot report skills")

    path = tmp_path / "reports" / "skills.docx"
    assert main(["report", "pilot", "skills", "--out", str(path)]) == 0
    assert f"Wrote {path}" in capsys.readouterr().out
    written = Document(io.BytesIO(path.read_bytes()))
    assert table_texts(written) == table_texts(Document(io.BytesIO(sent.files[0].content)))
    cells = [cell for table in table_texts(written) for row in table for cell in row]
    assert "Teacher training held in Warsaw, 24 teachers" in cells


def test_wrong_file_type_pilot_or_day_is_refused(environment, tmp_path, capsys):
    assert main(["report", "pilot", "skills", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--out must end in .docx" in capsys.readouterr().err
    assert main(["report", "pilot", "robotics", "--out", str(tmp_path / "x.docx")]) == 2
    assert "I don't know a pilot called “robotics”" in capsys.readouterr().err
    out = str(tmp_path / "x.docx")
    assert main(["report", "pilot", "skills", "--out", out, "--from", "someday"]) == 2
    assert "I cannot read “someday” as a day." in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()
