"""``chemclust-bot``: one command line, one sub-command per module with its own ``register``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import (
    console,
    db,
    export_benchmark,
    export_pilots,
    import_practices,
    imports,
    run,
    teams_package,
)
from bot.settings import ConfigurationError

SUBCOMMANDS = (
    run,
    console,
    db,
    imports,
    import_practices,
    export_benchmark,
    export_pilots,
    teams_package,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chemclust-bot",
        description="Chat bot of the ChemClust working group (Slack, Teams, console).",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ConfigurationError as error:
        print(f"chemclust-bot: {error}", file=sys.stderr)
        return 2
