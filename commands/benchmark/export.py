"""The benchmark as files: a workbook (a sheet per edition: raw values, scores, composite,
ranks) and a long CSV of the raw values that imports back unchanged."""

from __future__ import annotations

from datetime import datetime

from commands import offload
from commands.benchmark.chart_views import slug
from commands.benchmark.model import Benchmark, load
from commands.benchmark.notes import clipping_note, left_out_sentence, method_note, sample_note
from commands.context import Context
from commands.errors import CommandError
from commands.numbers import read_number
from commands.reply import Attachment, Code, Paragraph, Reply, text
from storage.models import BenchmarkEdition
from storage.numbers import YEAR, looks_like_number
from storage.tables_export import SheetTable, csv_bytes, workbook_bytes
from storage.text import fold

EXPORT_USAGE = "/benchmark export [<edition>]"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_HEADER = ("edition", "region", "indicator", "value")


def find_editions(bench: Benchmark, wanted: str) -> list[BenchmarkEdition]:
    """All editions with figures, or the one ``wanted`` names by label or year."""
    editions = bench.editions_with_values()
    if not wanted.strip():
        return editions
    if looks_like_number(wanted):  # before folding, which turns "²⁰¹⁰" into "2010"
        year = read_number(YEAR, wanted, usage=EXPORT_USAGE)
        for edition in editions:
            if edition.label == str(year) or edition.year == year:
                return [edition]
    folded = fold(wanted)
    for edition in editions:
        if fold(edition.label) == folded:
            return [edition]
    known = ", ".join(f"{e.label} ({e.year})" for e in editions)
    raise CommandError(
        f"There is no benchmark edition “{wanted.strip()}”. Editions: {known}.", usage=EXPORT_USAGE
    )


def edition_sheet(bench: Benchmark, edition: BenchmarkEdition) -> SheetTable:
    indicators = bench.indicators
    header = ["Rank", "Region", "NUTS", "Composite index (0–100)", "Indicators with data"]
    header.append("Change since previous edition")
    header += [f"{i.code}: {i.name} ({i.unit})" for i in indicators]
    header += [f"{i.code} score (0–100)" for i in indicators]
    rows = []
    for standing in bench.standings(edition):
        results = bench.results(edition, standing.region)
        rows.append(
            [
                standing.rank,
                standing.region.name,
                standing.region.nuts_code,
                # The index and change as every reply shows them, so the sheet adds up too.
                standing.index,
                standing.indicators,
                standing.change,
                *(r.value for r in results),
                *(_points(r.score) for r in results),
            ]
        )
    first_score = 6 + len(indicators)
    formats = {3: "0.0", 5: "+0.0;-0.0;0.0"}
    formats.update({c: "0" for c in range(first_score, first_score + len(indicators))})
    widths = {1: 26, 3: 14, 5: 14}
    return SheetTable(name=edition.label, header=header, rows=rows, formats=formats, widths=widths)


def about_sheet(bench: Benchmark, editions: list[BenchmarkEdition], now: datetime) -> SheetTable:
    rows: list[list] = [
        ["Exported", now.strftime("%Y-%m-%d %H:%M UTC")],
        ["Method", method_note(bench)],
        [],
        ["Edition", "Year", "Data", "Source"],
    ]
    for e in editions:
        rows.append([e.label, e.year, "sample" if e.is_sample else "real", e.source])
    notes = [left_out_sentence(bench, e) for e in editions]
    if any(e.is_sample for e in editions):
        notes.insert(0, sample_note(bench))
        notes += [clipping_note(bench, e) for e in editions if e.is_sample]
    notes = list(dict.fromkeys(n for n in notes if n))
    if notes:
        rows.append([])
        rows += [["Note" if i == 0 else "", note] for i, note in enumerate(notes)]
    rows += [[], ["Indicator", "Name", "Unit", "Direction", "Theme"]]
    for i in bench.indicators:
        direction = "higher is better" if i.higher_is_better else "lower is better"
        rows.append([i.code, i.name, i.unit, direction, i.theme])
    return SheetTable(name="About", header=["ChemClust benchmark", ""], rows=rows,
                      widths={0: 22, 1: 40, 2: 28, 3: 18, 4: 22})  # fmt: skip


def workbook(bench: Benchmark, editions: list[BenchmarkEdition], now: datetime) -> bytes:
    sheets = [about_sheet(bench, editions, now)]
    sheets += [edition_sheet(bench, e) for e in editions]
    return offload.run_paced(workbook_bytes, sheets)


def long_csv(bench: Benchmark, editions: list[BenchmarkEdition]) -> bytes:
    """``edition, region, indicator, value``: the layout ``import benchmark`` reads."""
    rows = []
    for edition in editions:
        for region in bench.regions:
            for result in bench.results(edition, region):
                if result.value is not None:
                    rows.append([edition.label, region.name, result.indicator.code, result.value])
    return csv_bytes(CSV_HEADER, rows)


def export_file(
    ctx: Context, *, edition: str, csv: bool
) -> tuple[str, bytes, list[BenchmarkEdition]]:
    """The file name, contents and editions of an export (the whole benchmark, or one edition)."""
    bench = load(ctx)
    editions = find_editions(bench, edition)
    if not editions:
        raise CommandError("There are no benchmark figures to export yet.")
    name = slug(f"{ctx.group_slug}-benchmark", editions[0].label if edition.strip() else "")
    if csv:
        return f"{name}.csv", long_csv(bench, editions), editions
    return f"{name}.xlsx", workbook(bench, editions, ctx.now), editions


def export_command(ctx: Context, arguments: str) -> Reply:
    """``/benchmark export [<edition>]``: the workbook, sent to the person who asked."""
    filename, content, editions = export_file(ctx, edition=arguments, csv=False)
    sheets = ", ".join(e.label for e in editions)
    return Reply(
        parts=(
            Paragraph(
                text(
                    f"The benchmark workbook ({sheets}): raw values, scores (0–100), "
                    "composite index and ranks, a sheet per edition. A single edition: ",
                    Code(EXPORT_USAGE),
                    ".",
                )
            ),
        ),
        files=(Attachment(filename, content, XLSX, "ChemClust benchmark"),),
        private=True,
        summary=f"Benchmark workbook: {filename}",
    )


def _points(score: float | None) -> float | None:
    return None if score is None else round(score * 100, 6)
