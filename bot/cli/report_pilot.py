"""``chemclust-bot report pilot <pilot> --out FILE.docx``: the implementation report in Word."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.groups import command_group
from bot.cli.reply_files import write_reply_file
from commands.context import Identity


def register(subcommands: argparse._SubParsersAction) -> None:
    reports = command_group(subcommands, "report", help="write the project's reports as documents")
    pilot = reports.add_parser("pilot", help="a pilot action's implementation report (Word)")
    pilot.add_argument("pilot", help="the pilot, e.g. skills")
    pilot.add_argument("--out", type=Path, required=True, help="the file to write: NAME.docx")
    pilot.add_argument("--from", dest="first", default="", help="first day, e.g. 2011-03-01")
    pilot.add_argument("--to", dest="last", default="", help="last day, e.g. 2012-12-31")
    pilot.set_defaults(handler=_pilot)


def _pilot(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".docx":
        print("chemclust-bot: --out must end in .docx", file=sys.stderr)
        return 2
    from bot.runtime import start

    runtime = start(log_level="WARNING")
    # The same command people use in chat, as the local operator: the same file.
    identity = Identity(platform="console", user_id="report", user_name="report")
    period = "".join(
        f" {word} {value}" for word, value in (("from", args.first), ("to", args.last)) if value
    )
    reply = runtime.core.run_command(identity, "pilot", f"report {args.pilot}{period}")
    runtime.engine.dispose()
    return write_reply_file(reply, args.out, ".docx")
