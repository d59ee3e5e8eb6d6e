"""``chemclust-bot db``: migrate and seed (release step), draft a migration (developers),
back up, restore, and copy to another database (operators)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bot.logs import configure_logging
from bot.settings import Settings
from storage.db import make_engine
from storage.migrate import current_revisions, draft_revision, upgrade


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = actions.add_parser("upgrade", help="apply migrations and add missing seed data")
    up.add_argument("--no-seed", action="store_true", help="migrate only")
    up.set_defaults(handler=_upgrade)
    draft = actions.add_parser(
        "revision", help="draft a migration from the difference between models and database"
    )
    draft.add_argument("-m", "--message", required=True, help="what the migration changes")
    draft.add_argument("--rev-id", required=True, help="revision id, e.g. 0002_events")
    draft.set_defaults(handler=_revision)

    backup = actions.add_parser(
        "backup",
        help="write a consistent backup of the database, also while the bot runs",
        description=(
            "SQLite: a copy of the database file (SQLite's online backup API). PostgreSQL: a "
            "pg_dump archive (custom format) when pg_dump is on PATH, else a portable backup."
        ),
    )
    backup.add_argument("file", type=Path, help="the new backup file")
    backup.add_argument(
        "--portable",
        action="store_true",
        help="a portable backup (zip of JSON lines) that restores into SQLite or PostgreSQL",
    )
    backup.set_defaults(handler=_backup)

    restore = actions.add_parser(
        "restore",
        help="restore a backup into the empty database at DATABASE_URL",
        description=(
            "The database must hold no rows; without tables it gets the backup's schema first. "
            "Row counts are compared with the backup's, table by table."
        ),
    )
    restore.add_argument("file", type=Path, help="a file written by chemclust-bot db backup")
    restore.set_defaults(handler=_restore)

    copy = actions.add_parser(
        "copy",
        help="copy every row from DATABASE_URL to another, empty database",
        description=(
            "E.g. from SQLite to PostgreSQL. The source is only read. The target gets the "
            "source's schema revision by migration (or must already be at it) and must hold no "
            "rows; row counts are compared table by table."
        ),
    )
    copy.add_argument("--to", required=True, metavar="URL", help="the target database's URL")
    copy.set_defaults(handler=_copy)


def _upgrade(args: argparse.Namespace) -> int:
    engine = make_engine(_database_url())
    upgrade(engine, seed=not args.no_seed)
    revisions = ", ".join(sorted(current_revisions(engine)))
    print(f"Database at revision {revisions}.")
    return 0


def _revision(args: argparse.Namespace) -> int:
    engine = make_engine(_database_url())
    upgrade(engine, seed=False)
    path = draft_revision(engine, message=args.message, rev_id=args.rev_id)
    print(f"Drafted {path}: review it before committing.")
    return 0


def _database_url() -> str:
    settings = Settings.from_env()
    configure_logging(settings.log_level, secrets=settings.secrets())
    return settings.database_url


def _backup(args: argparse.Namespace) -> int:
    from storage.backup import take_backup
    from storage.models import utcnow

    def work() -> list[str]:
        written = take_backup(_database_url(), args.file, portable=args.portable, now=utcnow())
        kind = {"sqlite": "SQLite", "pg_dump": "pg_dump custom format", "portable": "portable"}
        return [
            f"Wrote {written.path} ({written.size:,} bytes, {kind[written.kind]}): "
            f"{len(written.counts)} tables, {_rows(written.rows)}, "
            f"schema revision {written.revision}."
        ]

    return _reported(work)


def _restore(args: argparse.Namespace) -> int:
    from storage.backup import restore_backup

    def work() -> list[str]:
        restored = restore_backup(_database_url(), args.file)
        return [
            f"Restored {restored.source} into {restored.target}: {len(restored.counts)} tables, "
            f"{_rows(restored.rows)}, each table as many as in the backup; schema revision "
            f"{restored.revision}."
        ]

    return _reported(work)


def _copy(args: argparse.Namespace) -> int:
    from storage.backup import copy_database

    def work() -> list[str]:
        copied = copy_database(_database_url(), args.to)
        width = max((len(name) for name in copied.counts), default=0)
        return [
            *(
                f"  {name:<{width}}  {source_rows:>9,} → {target_rows:,}"
                for name, (source_rows, target_rows) in copied.counts.items()
            ),
            f"Copied {_rows(copied.rows)} in {len(copied.counts)} tables from {copied.source} "
            f"to {copied.target}, schema revision {copied.revision}; every table's count "
            "matches.",
        ]

    return _reported(work)


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _reported(work: Callable[[], list[str]]) -> int:
    """Print what ``work`` did, or in one line why it could not (no traceback: it is not a bug)."""
    from storage.backup import BackupError

    try:
        lines = work()
    except BackupError as error:
        print(f"chemclust-bot: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
