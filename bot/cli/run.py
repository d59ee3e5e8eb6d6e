"""``chemclust-bot run``: the web process (Slack over HTTP or Socket Mode, health check)."""

from __future__ import annotations

import argparse


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("run", help="start the bot's web process")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from bot.runtime import start
    from bot.server import serve

    runtime = start()
    serve(runtime)
    return 0
