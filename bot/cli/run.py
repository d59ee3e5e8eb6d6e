"""``chemclust-bot run``: the web process (Slack over HTTP or Socket Mode, Teams, health check)."""

from __future__ import annotations

import argparse


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("run", help="start the bot's web process")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from bot.runtime import start
    from bot.server import serve
    from bot.settings import Settings
    from bot.startup import check_configuration

    settings = Settings.from_env()
    # What is set must make sense before the database is touched or anything connects.
    check_configuration(settings)
    serve(start(settings))
    return 0
