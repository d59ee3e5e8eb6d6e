"""``chemclust-bot import benchmark FILE`` and ``chemclust-bot import eurostat DATASET``."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from bot.cli.groups import IMPORT_HELP, command_group
from bot.console.render import render
from commands.context import Identity
from storage.numbers import YEAR, NumberError


def register(subcommands: argparse._SubParsersAction) -> None:
    imports = command_group(subcommands, "import", help=IMPORT_HELP)
    bench = imports.add_parser(
        "benchmark",
        help="import a CSV or XLSX file of benchmark figures as an edition",
        description=(
            "Long layout: columns region, indicator, value (and optionally edition). Wide "
            "layout: a row per region, a column per indicator code or name. Everything is "
            "checked first; the file is imported completely or not at all."
        ),
    )
    bench.add_argument("file", type=Path, help="a .csv or .xlsx file")
    bench.add_argument(
        "--edition", help="the edition's label, e.g. 2014 (or use an edition column)"
    )
    bench.add_argument(
        "--year", type=_year, help="the year of a new edition (default: from the label)"
    )
    bench.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    bench.add_argument(
        "--replace", action="store_true", help="replace the figures of an existing edition"
    )
    bench.add_argument(
        "--sample", action="store_true", help="label the edition as illustrative sample data"
    )
    bench.set_defaults(handler=_import_benchmark)

    eurostat = imports.add_parser(
        "eurostat",
        help="import an indicator's regional figures from Eurostat",
        description=(
            "Fetches a dataset (JSON-stat) for the partner regions' NUTS codes and maps its "
            "yearly figures to the editions of the same year. Pin every other dimension with "
            "--filter. EUROSTAT_API_URL overrides the API address."
        ),
    )
    eurostat.add_argument("dataset", help="Eurostat dataset code, e.g. rd_e_gerdreg")
    eurostat.add_argument("--indicator", required=True, help="the indicator's code or name")
    eurostat.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a dimension's category, e.g. unit=PC_GDP (repeat for several)",
    )
    eurostat.add_argument("--since", type=_year, help="first year to import")
    eurostat.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    eurostat.set_defaults(handler=_import_eurostat)


def _year(typed: str) -> int:
    """A year option, read like every number people type."""
    try:
        return YEAR.read(typed)
    except NumberError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cli_context():
    """The runtime and a console user's context on the default group, for one-off tools."""
    from bot.runtime import start

    runtime = start(log_level="WARNING")
    user = getpass.getuser()
    return runtime, runtime.core.context(Identity(platform="console", user_id=user, user_name=user))


def _import_benchmark(args: argparse.Namespace) -> int:
    from commands.benchmark.imports import import_file

    path: Path = args.file
    if not path.is_file():
        print(f"chemclust-bot: no file {path}")
        return 2
    runtime, ctx = cli_context()
    outcome = import_file(
        runtime.core.sessions,
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
    print(render(outcome.reply))
    if outcome.ok and args.dry_run:
        print("\nDry run: nothing was written.")
    runtime.engine.dispose()
    return 0 if outcome.ok else 1


def _import_eurostat(args: argparse.Namespace) -> int:
    from commands.benchmark.eurostat import import_eurostat

    runtime, ctx = cli_context()
    outcome = import_eurostat(
        runtime.core.sessions,
        group_id=ctx.group_id,
        dataset=args.dataset,
        indicator=args.indicator,
        filters=args.filter,
        since=args.since,
        dry_run=args.dry_run,
        now=ctx.now,
    )
    print(render(outcome.reply))
    runtime.engine.dispose()
    return 0 if outcome.ok else 1
