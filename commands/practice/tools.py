"""The practice library's command-line tool: ``import practices FILE``, a spreadsheet as
written by ``/practice export``, all of it or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.context import Context
from commands.tools import IMPORT, Tool, ToolOutcome


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
    parser.add_argument(
        "--check", action="store_true", help="check the file and report, but import nothing"
    )


def import_practices(ctx: Context, args: argparse.Namespace) -> ToolOutcome:
    from storage.practice_files import ImportFailed, import_practice_file

    try:
        # As the person running the command, for the audit trail.
        with ctx.sessions() as session:
            result = import_practice_file(
                session=session, group_id=ctx.group_id, path=args.file, now=ctx.now
            )
            if args.check:
                session.rollback()
            else:
                session.commit()
    except ImportFailed as failure:
        problems = [f"{args.file}: nothing was imported.", *(f"  {p}" for p in failure.problems)]
        return ToolOutcome(code=1, said="\n".join(problems), on_stderr=True)
    counts = f"{result.added} added, {result.changed} changed, {result.unchanged} unchanged"
    if args.check:
        said = f"{args.file}: every row is fine ({counts}); nothing was imported (--check)."
    else:
        said = f"{args.file}: imported into {ctx.group_name}: {counts}."
    return ToolOutcome(said=said)


TOOLS = (
    Tool(
        IMPORT,
        "practices",
        help="good practices; rows with an ID change that practice, rows without add one",
        topic="practices",
        description=(
            "Import good practices from a CSV or XLSX file with a header row, as written by "
            "/practice export. Every row is checked first; if any row has a problem, nothing "
            "is imported and each problem is listed with its row number."
        ),
        arguments=import_arguments,
        run=import_practices,
    ),
)
