"""``chemclust-bot export audit --out FILE [--group SLUG]``: one working group's audit trail
(the default group's without ``--group``) as a workbook or CSV file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.groups import command_group
from bot.cli.tools import GROUP_HELP, chosen_group

SUFFIXES = (".xlsx", ".csv")
# What it writes, in the help of the export group it shares with the features' exports.
TOPIC = "the audit trail"
NAME = "audit"


def register(subcommands: argparse._SubParsersAction) -> None:
    exports = command_group(subcommands, "export", help=f"write records to files: {TOPIC}")
    audit = exports.add_parser(
        NAME,
        help="one working group's audit trail, oldest first: an Excel workbook or a CSV",
    )
    audit.add_argument(
        "--out", type=Path, required=True, help="the file to write: NAME.xlsx or NAME.csv"
    )
    audit.add_argument("--group", metavar="SLUG", help=GROUP_HELP)
    audit.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in SUFFIXES:
        print(f"chemclust-bot: --out must end in {' or '.join(SUFFIXES)}", file=sys.stderr)
        return 2
    from bot.runtime import start
    from storage.audit_export import audit_file
    from storage.audit_log import all_entries

    runtime = start(log_level="WARNING")
    try:
        with runtime.core.sessions() as session:
            group_id, unknown = chosen_group(session, args.group)
            if group_id is None:
                print(f"chemclust-bot: {unknown}", file=sys.stderr)
                return 1
            entries = list(all_entries(session=session, group_id=group_id))
            content = audit_file(entries, excel=suffix == ".xlsx")
    finally:
        runtime.engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(f"Wrote {args.out.resolve()} ({len(entries)} audit entries)")
    return 0
