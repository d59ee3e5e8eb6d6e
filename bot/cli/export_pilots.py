"""``chemclust-bot export pilots --out FILE``: the pilot updates as a workbook or CSV file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.groups import EXPORT_HELP, command_group
from bot.cli.reply_files import write_reply_file
from commands.context import Identity

SUFFIXES = (".xlsx", ".csv")


def register(subcommands: argparse._SubParsersAction) -> None:
    exports = command_group(subcommands, "export", help=EXPORT_HELP)
    pilots = exports.add_parser(
        "pilots", help="pilot updates: an Excel workbook (one sheet per pilot) or a CSV"
    )
    pilots.add_argument(
        "--out", type=Path, required=True, help="the file to write: NAME.xlsx or NAME.csv"
    )
    pilots.add_argument("--pilot", default="", help="only this pilot, e.g. skills")
    pilots.set_defaults(handler=_pilots)


def _pilots(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in SUFFIXES:
        print(f"chemclust-bot: --out must end in {' or '.join(SUFFIXES)}", file=sys.stderr)
        return 2
    from bot.runtime import start

    runtime = start(log_level="WARNING")
    # The export runs as the local operator, through the same command people use in chat.
    identity = Identity(platform="console", user_id="export", user_name="export")
    reply = runtime.core.run_command(identity, "pilot", f"export {args.pilot}".strip())
    runtime.engine.dispose()
    return write_reply_file(reply, args.out, suffix)
