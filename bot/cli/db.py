"""``chemclust-bot db``: migrate and seed (release step), or draft a migration (developers)."""

from __future__ import annotations

import argparse

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


def _upgrade(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level, secrets=settings.secrets())
    engine = make_engine(settings.database_url)
    upgrade(engine, seed=not args.no_seed)
    revisions = ", ".join(sorted(current_revisions(engine)))
    print(f"Database at revision {revisions}.")
    return 0


def _revision(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level, secrets=settings.secrets())
    engine = make_engine(settings.database_url)
    upgrade(engine, seed=False)
    path = draft_revision(engine, message=args.message, rev_id=args.rev_id)
    print(f"Drafted {path}: review it before committing.")
    return 0
