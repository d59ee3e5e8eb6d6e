"""The benchmark's command-line tools: ``import benchmark FILE``, ``import eurostat DATASET``
and ``export benchmark --out FILE``, each in the working group ``--group`` names."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.context import Context
from commands.tools import EXPORT, IMPORT, Tool, ToolOutcome, year_option
from storage.numbers import YEAR

read_year = year_option(YEAR.read)


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
    parser.add_argument(
        "--edition", help="the edition's label, e.g. 2014 (or use an edition column)"
    )
    parser.add_argument(
        "--year", type=read_year, help="the year of a new edition (default: from the label)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    parser.add_argument(
        "--replace", action="store_true", help="replace the figures of an existing edition"
    )
    parser.add_argument(
        "--sample", action="store_true", help="label the edition as illustrative sample data"
    )


def import_benchmark(ctx: Context, args: argparse.Namespace) -> ToolOutcome:
    from commands.benchmark.imports import import_file

    path: Path = args.file
    if not path.is_file():
        return ToolOutcome(code=2, refusal=f"no file {path}")
    outcome = import_file(
        ctx.sessions,  # as the person running the command, for the audit trail
        group_id=ctx.group_id,
        filename=path.name,
        content=path.read_bytes(),
        edition=args.edition,
        year=args.year,
        replace=args.replace,
        dry_run=args.dry_run,
        source=f"Imported from {path.name} by {ctx.identity.user_id} on {ctx.now:%Y-%m-%d}.",
        is_sample=args.sample,
        now=ctx.now,
    )
    dry_run = "\nDry run: nothing was written." if outcome.ok and args.dry_run else ""
    return ToolOutcome(code=0 if outcome.ok else 1, reply=outcome.reply, said=dry_run)


def eurostat_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", help="Eurostat dataset code, e.g. rd_e_gerdreg")
    parser.add_argument("--indicator", required=True, help="the indicator's code or name")
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a dimension's category, e.g. unit=PC_GDP (repeat for several)",
    )
    parser.add_argument("--since", type=read_year, help="first year to import")
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")


def import_eurostat(ctx: Context, args: argparse.Namespace) -> ToolOutcome:
    from commands.benchmark.eurostat import import_eurostat

    outcome = import_eurostat(
        ctx.sessions,  # as the person running the command, for the audit trail
        group_id=ctx.group_id,
        dataset=args.dataset,
        indicator=args.indicator,
        filters=args.filter,
        since=args.since,
        dry_run=args.dry_run,
        now=ctx.now,
    )
    return ToolOutcome(code=0 if outcome.ok else 1, reply=outcome.reply)


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--edition", default="", help="one edition (label or year); default all")


def export_benchmark(ctx: Context, args: argparse.Namespace) -> ToolOutcome:
    from commands.benchmark.export import export_file
    from commands.errors import CommandError

    csv = args.out.suffix.lower() == ".csv"
    try:
        _, content, editions = export_file(ctx, edition=args.edition, csv=csv)
    except CommandError as error:
        return ToolOutcome(code=1, refusal=error.message)
    return ToolOutcome(file=content, written=", ".join(e.label for e in editions))


TOOLS = (
    Tool(
        IMPORT,
        "benchmark",
        help="import a CSV or XLSX file of benchmark figures as an edition",
        topic="benchmark figures",
        description=(
            "Long layout: columns region, indicator, value (and optionally edition). Wide "
            "layout: a row per region, a column per indicator code or name. Everything is "
            "checked first; the file is imported completely or not at all."
        ),
        arguments=import_arguments,
        run=import_benchmark,
    ),
    Tool(
        IMPORT,
        "eurostat",
        help="import an indicator's regional figures from Eurostat",
        topic="Eurostat",
        description=(
            "Fetches a dataset (JSON-stat) for the partner regions' NUTS codes and maps its "
            "yearly figures to the editions of the same year. Pin every other dimension with "
            "--filter. EUROSTAT_API_URL overrides the API address."
        ),
        arguments=eurostat_arguments,
        run=import_eurostat,
    ),
    Tool(
        EXPORT,
        "benchmark",
        help="the benchmark as a workbook (.xlsx) or long CSV (.csv)",
        topic="benchmark workbooks",
        description=(
            "A .xlsx workbook has a sheet per edition with raw values, scores, composite index "
            "and ranks. A .csv file has the raw values in long form (edition, region, "
            "indicator, value) and imports back with `chemclust-bot import benchmark`."
        ),
        arguments=export_arguments,
        run=export_benchmark,
        writes=(".xlsx", ".csv"),
        out_help="FILE.xlsx or FILE.csv",
    ),
)
