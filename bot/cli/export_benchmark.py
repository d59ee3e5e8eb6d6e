"""``chemclust-bot export benchmark --out FILE.xlsx|FILE.csv [--edition LABEL]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.groups import EXPORT_HELP, command_group


def register(subcommands: argparse._SubParsersAction) -> None:
    exports = command_group(subcommands, "export", help=EXPORT_HELP)
    parser = exports.add_parser(
        "benchmark",
        help="the benchmark as a workbook (.xlsx) or long CSV (.csv)",
        description=(
            "A .xlsx workbook has a sheet per edition with raw values, scores, composite index "
            "and ranks. A .csv file has the raw values in long form (edition, region, "
            "indicator, value) and imports back with `chemclust-bot import benchmark`."
        ),
    )
    parser.add_argument("--out", type=Path, required=True, help="FILE.xlsx or FILE.csv")
    parser.add_argument("--edition", default="", help="one edition (label or year); default all")
    parser.set_defaults(handler=_export_benchmark)


def _export_benchmark(args: argparse.Namespace) -> int:
    from bot.cli.imports import cli_context
    from commands.benchmark.export import export_file
    from commands.errors import CommandError

    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        print(f"chemclust-bot: --out must end in .xlsx or .csv, not {out.name}")
        return 2
    runtime, ctx = cli_context()
    try:
        _, content, editions = export_file(ctx, edition=args.edition, csv=suffix == ".csv")
    except CommandError as error:
        print(f"chemclust-bot: {error.message}")
        return 1
    finally:
        runtime.engine.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    labels = ", ".join(e.label for e in editions)
    print(f"Wrote {out} ({labels}).")
    return 0
