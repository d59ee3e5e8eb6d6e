"""The deliverables typed in the installed console: the pilot report and a recommendation."""

from __future__ import annotations

import io

from docx import Document

from tests.bot.console.test_console import console

LINES = "\n".join(
    (
        "/pilot log skills Teacher training held in Warsaw",
        "/pilot report skills",
        '/recommendation add "Shared pilot plants" level european pilot parks | Co-fund them.',
        '/recommendation add "No text" level regional',
        "/recommendation endorse R1",
        "/recommendation show R1",
    )
)


def test_console_writes_the_report_and_drafts_and_endorses_a_recommendation(tmp_path):
    result = console(tmp_path, "--region", "Masovia", lines=LINES + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Implementation report of Skills foresight" in out
    (report,) = tmp_path.glob("**/chemclust-report-skills-*.docx")
    cells = [
        c.text
        for t in Document(io.BytesIO(report.read_bytes())).tables
        for r in t.rows
        for c in r.cells
    ]
    assert "Teacher training held in Warsaw" in cells
    assert "New recommendation R1: Shared pilot plants" in out
    assert "Write the text after “|”." in out
    assert "Masovia endorses R1" in out
    assert "Endorsed by" in out
    assert "Traceback" not in result.stderr
