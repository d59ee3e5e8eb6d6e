"""``chemclust-bot console``: the bot in a terminal, on the embedded database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.console.reminders import ConsoleReminders
    from bot.runtime import Runtime

CONSOLE_USER = "console"
CONSOLE_CHECK_SECONDS = 5


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
    from bot.console.repl import run_console
    from bot.runtime import start
    from commands.context import Identity

    # The console is a local tool for whoever runs it, so its user is a coordinator. It serves
    # no platform and posts only to its own terminal: Slack's and Teams' code is not loaded.
    runtime = start(log_level="WARNING", extra_coordinators=frozenset({args.user}), platforms=())
    identity = Identity(platform="console", user_id=args.user, user_name=args.user)
    if args.region:
        reply = runtime.core.run_command(identity, "chemclust", f"join {args.region}")
        if not reply.summary.startswith("You now represent"):
            from bot.console.render import render

            print(render(reply))
            return 2
    return run_console(
        runtime.core, identity, out_dir=args.out_dir, reminders=console_reminders(runtime)
    )


def console_reminders(runtime: Runtime, stdout: TextIO = sys.stdout) -> ConsoleReminders:
    from bot.console.reminders import PLATFORM as CONSOLE_PLATFORM
    from bot.console.reminders import ConsoleReminders
    from bot.console.repl import PROMPT
    from bot.jobs import IntervalJobs

    seconds = runtime.settings.dispatch_seconds
    return ConsoleReminders(
        lambda sender: IntervalJobs(runtime, {CONSOLE_PLATFORM: sender}),
        stdout,
        # A console is watched by a person: look more often than the web process does.
        interval=min(seconds, CONSOLE_CHECK_SECONDS),
        prompt=PROMPT,
    )
