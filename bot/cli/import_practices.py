"""``chemclust-bot import practices FILE``: load good practices from a spreadsheet, all or none."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.groups import IMPORT_HELP, command_group
from bot.runtime import start
from storage.groups import default_group, group_by_slug
from storage.models import WorkingGroup, utcnow
from storage.practice_files import ImportFailed, import_practice_file


def register(subcommands: argparse._SubParsersAction) -> None:
    kinds = command_group(subcommands, "import", help=IMPORT_HELP)
    practices = kinds.add_parser(
        "practices",
        help="good practices; rows with an ID change that practice, rows without add one",
        description=(
            "Import good practices from a CSV or XLSX file with a header row, as written by "
            "/practice export. Every row is checked first; if any row has a problem, nothing "
            "is imported and each problem is listed with its row number."
        ),
    )
    practices.add_argument("file", type=Path, help="a .csv or .xlsx file")
    practices.add_argument("--group", help="working group slug (default: the default group)")
    practices.add_argument(
        "--check", action="store_true", help="check the file and report, but import nothing"
    )
    practices.set_defaults(handler=_import_practices)


def _import_practices(args: argparse.Namespace) -> int:
    runtime = start(log_level="WARNING")
    try:
        with runtime.core.sessions() as session:
            group = _group(session, args.group)
            group_name = group.name
            result = import_practice_file(
                session=session, group_id=group.id, path=args.file, now=utcnow()
            )
            if args.check:
                session.rollback()
            else:
                session.commit()
    except ImportFailed as failure:
        print(f"{args.file}: nothing was imported.", file=sys.stderr)
        for problem in failure.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    finally:
        runtime.engine.dispose()
    counts = f"{result.added} added, {result.changed} changed, {result.unchanged} unchanged"
    if args.check:
        print(f"{args.file}: every row is fine ({counts}); nothing was imported (--check).")
    else:
        print(f"{args.file}: imported into {group_name}: {counts}.")
    return 0


def _group(session, slug: str | None) -> WorkingGroup:
    if not slug:
        return default_group(session=session)
    group = group_by_slug(session=session, slug=slug)
    if group is None:
        raise ImportFailed([f"There is no working group “{slug}”."])
    return group
