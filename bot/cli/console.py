"""``chemclust-bot console``: the bot in a terminal, on the embedded database."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.console.repl import run_console
from bot.runtime import start
from commands.context import Identity

CONSOLE_USER = "console"


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("console", help="talk to the bot in this terminal")
    parser.add_argument("--user", default=CONSOLE_USER, help="your user id (default: console)")
    parser.add_argument("--region", help="the region you represent, e.g. Limburg")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=Path("chemclust-out"),
        help="where charts and exports are saved (default: ./chemclust-out)",
    )
    parser.set_defaults(handler=_console)


def _console(args: argparse.Namespace) -> int:
    # The console is a local tool for whoever runs it, so its user is a coordinator.
    runtime = start(log_level="WARNING", extra_coordinators=frozenset({args.user}))
    identity = Identity(platform="console", user_id=args.user, user_name=args.user)
    if args.region:
        reply = runtime.core.run_command(identity, "chemclust", f"join {args.region}")
        if not reply.summary.startswith("You now represent"):
            from bot.console.render import render

            print(render(reply))
            return 2
    return run_console(runtime.core, identity, out_dir=args.out_dir)
