"""Charts and exports through the command line users type, files checked as files."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from bot.console.repl import answer
from commands.benchmark import charts
from commands.benchmark.imports import import_file
from commands.context import Identity
from commands.reply import Table, plain
from storage.groups import default_group
from tests.bot.cli.test_import_benchmark import snapshot
from tests.support.benchmark_files import import_2014

PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def assert_png(content: bytes) -> None:
    assert content.startswith(PNG_HEADER)
    assert len(content) > 10_000  # a drawn chart, not an empty canvas


def test_region_chart_is_a_public_png_with_the_sample_note(core, partner):
    reply = core.run_line(partner, "/benchmark Limburg chart")
    assert not reply.private
    [png] = reply.files
    assert (png.filename, png.mime_type) == ("limburg-benchmark-2012-update.png", "image/png")
    assert png.title == "Limburg: benchmark 2012 update"
    assert_png(png.content)
    assert "Illustrative sample figures" in plain(reply.footnote)


def test_chart_of_an_earlier_edition_and_a_trend(core, partner):
    earlier = core.run_line(partner, "/benchmark NRW 2010 chart")
    assert earlier.files[0].filename == "north-rhine-westphalia-benchmark-2010-report.png"
    trend = core.run_line(partner, "/benchmark Limburg trend")
    assert trend.files[0].filename == "limburg-trend.png"
    assert_png(trend.files[0].content)
    table = next(p for p in trend.parts if isinstance(p, Table))
    assert [row[0] for row in table.rows] == ["2010 report", "2012 update"]


def test_indicator_ranking_has_a_table_with_units_and_a_bar_chart(core, partner):
    reply = core.run_line(partner, "/benchmark indicator permit lead time")
    assert reply.heading == "Permit lead time: benchmark 2012 update"
    table = next(p for p in reply.parts if isinstance(p, Table))
    assert table.columns[2].title == "months"
    values = [float(row[2]) for row in table.rows]
    assert values == sorted(values)  # lower is better: shortest lead time first
    assert_png(reply.files[0].content)


def test_a_real_edition_chart_has_no_sample_note(core, partner, sessions):
    import_2014(sessions)
    reply = core.run_line(partner, "/benchmark Limburg chart")
    assert reply.files[0].filename == "limburg-benchmark-2014.png"
    assert "Illustrative sample figures" not in plain(reply.footnote)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/benchmark chart", "Say which region to draw."),
        ("/benchmark Atlantis chart", "I don't know a partner region called “Atlantis”."),
        ("/benchmark indicator", "Say which indicator, by name or code."),
        ("/benchmark indicator happiness", "I don't know an indicator called “happiness”."),
        ("/benchmark export 1999", "There is no benchmark edition “1999”."),
    ],
)
def test_wrong_chart_and_export_requests_get_private_answers(core, partner, line, expected):
    reply = core.run_line(partner, line)
    assert reply.private
    assert not reply.files
    assert expected in plain(reply.parts[0].text)


def test_console_saves_the_chart_and_prints_its_path(core, tmp_path):
    me = Identity(platform="console", user_id="console")
    output = answer(core, me, "/benchmark Limburg chart", tmp_path)
    saved = tmp_path / "limburg-benchmark-2012-update.png"
    assert f"Saved {saved}" in output
    assert_png(saved.read_bytes())


def test_workbook_has_a_sheet_per_edition_with_numbers_as_numbers(core, partner):
    reply = core.run_line(partner, "/benchmark export")
    assert reply.private
    [xlsx] = reply.files
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["About", "2010 report", "2012 update"]
    sheet = workbook["2012 update"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == [
        "Rank",
        "Region",
        "NUTS",
        "Composite index (0–100)",
        "Indicators with data",
        "Change since previous edition",
    ]
    assert "PCT: PCT patent applications (per bn EUR GDP)" in header
    assert "PCT score (0–100)" in header
    first = [c.value for c in sheet[2]]
    assert first[0] == 1
    assert first[1] == "Limburg"
    assert isinstance(first[3], float)
    assert isinstance(first[header.index("PCT: PCT patent applications (per bn EUR GDP)")], float)
    assert sheet.max_row == 11
    about = [[c.value for c in row] for row in workbook["About"].iter_rows()]
    assert [row[:3] for row in about[4:7]] == [
        ["Edition", "Year", "Data"],
        ["2010 report", 2010, "sample"],
        ["2012 update", 2012, "sample"],
    ]


def test_csv_export_imports_back_unchanged(core, sessions, tmp_path):
    from commands.benchmark.export import export_file

    ctx = core.context(Identity(platform="console", user_id="console"))
    name, content, exported = export_file(ctx, edition="", csv=True)
    assert [e.label for e in exported] == ["2010 report", "2012 update"]
    assert name == "chemclust-benchmark.csv"
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["edition", "region", "indicator", "value"]
    before = snapshot(sessions)
    assert len(rows) == 1 + len(before[1])
    with sessions() as session:
        group_id = default_group(session=session).id
    outcome = import_file(
        sessions,
        group_id=group_id,
        filename=name,
        content=content,
        edition=None,
        year=None,
        replace=True,
        dry_run=False,
        source="round trip",
        is_sample=True,
    )
    assert outcome.ok
    editions_after, values_after = snapshot(sessions)
    assert editions_after == before[0]
    by_key = lambda values: sorted((e, r, i, v) for e, r, i, v in values)  # noqa: E731
    assert by_key(values_after) == by_key(before[1])


def test_chart_functions_draw_without_data_too():
    png = charts.ranked_values(title="Empty", unit="units", bars=[charts.Bar("A", None)])
    assert png.startswith(PNG_HEADER)
