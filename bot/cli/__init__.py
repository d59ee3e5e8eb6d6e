"""``chemclust-bot``: one command line. Its own sub-commands (run, console, db, …) are a module
each with its own ``register``; the features' tools come from the registry (``bot.cli.tools``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING

from bot.logs import RedactSecrets
from bot.settings import ConfigurationError
from bot.startup import SlackUnreachable
from storage.db import (
    database_unreachable,
    database_url,
    hidden_password,
    outage_reason,
    url_secrets,
)

if TYPE_CHECKING:
    from commands.registry import Registry

# The command line's own sub-commands by their first word, each in a module loaded only when
# its word is typed (or for the whole list, --help): a start pays for what it runs. The
# features' tools (import, export, report, …) come from the registry, between the two.
OPERATIONS = {
    "run": "bot.cli.run",
    "console": "bot.cli.console",
    "db": "bot.cli.db",
    "doctor": "bot.cli.doctor",
}
LATER_OPERATIONS = {
    "teams-package": "bot.cli.teams_package",
    "group": "bot.cli.working_groups",
}
# The command line's own sub-commands that hang in a group with the features' tools, by group
# and name.
IN_TOOL_GROUPS = {"export": {"audit": "bot.cli.export_audit"}}


def own_words() -> dict[tuple[str, ...], str]:
    """The words the command line's own sub-commands answer to, and the module of each: a
    feature's tool that had them would be refused by argparse ("conflicting subparser")."""
    words: dict[tuple[str, ...], str] = {
        (word,): module for word, module in {**OPERATIONS, **LATER_OPERATIONS}.items()
    }
    for group, named in IN_TOOL_GROUPS.items():
        words.update({(group, name): module for name, module in named.items()})
    return words


def build_parser(
    command: str | None = None, *, registry: Registry | None = None
) -> argparse.ArgumentParser:
    """The whole command line; with ``command`` one of its own sub-commands, that one alone.

    ``registry``: the features whose tools it offers (default: those the bot runs)."""
    parser = argparse.ArgumentParser(
        prog="chemclust-bot",
        description="Chat bot of the ChemClust working group (Slack, Teams, console).",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    own = {**OPERATIONS, **LATER_OPERATIONS}
    if command in own:
        import_module(own[command]).register(subcommands)
        return parser
    for module in OPERATIONS.values():
        import_module(module).register(subcommands)
    _add_tools(subcommands, registry)
    for module in LATER_OPERATIONS.values():
        import_module(module).register(subcommands)
    return parser


def _add_tools(subcommands: argparse._SubParsersAction, registry: Registry | None) -> None:
    from bot.cli.tools import add_tools
    from bot.features import load_registry
    from bot.settings import feature_modules
    from commands.registry import RegistrationConflict

    joining = {
        group: tuple(import_module(module) for module in named.values())
        for group, named in IN_TOOL_GROUPS.items()
    }
    if registry is None:
        registry = load_registry(feature_modules())
    else:  # handed in (a test's), made without the command line's words
        try:
            registry.take_tool_words(own_words())
        except RegistrationConflict as conflict:
            raise ConfigurationError(str(conflict)) from None
    add_tools(
        subcommands,
        registry,
        more_topics={group: tuple(m.TOPIC for m in modules) for group, modules in joining.items()},
    )
    for modules in joining.values():
        for module in modules:
            module.register(subcommands)


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    """Run a sub-command; a set-up that cannot work ends in one line on stderr, no traceback.

    Exit codes: 2 a setting is wrong or missing, 1 the database or Slack cannot be reached,
    130 interrupted.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    first = arguments[0] if arguments else None
    try:
        # A wrong CHEMCLUST_FEATURES is found while the parser is built: one line, exit 2.
        args = build_parser(first, registry=registry).parse_args(arguments)
        return int(args.handler(args) or 0)
    except ConfigurationError as error:
        return _fail(str(error), 2)
    except SlackUnreachable as error:
        return _fail(str(error), 1)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if not database_unreachable(error):
            raise
        where = hidden_password(database_url())
        return _fail(f"cannot reach the database at {where}: {outage_reason(error)}", 1)


def _fail(message: str, code: int) -> int:
    # The environment's secrets may appear in an error's text (a URL echoed back, say).
    secrets = url_secrets(database_url())
    print(f"chemclust-bot: {RedactSecrets(secrets).redact(message)}", file=sys.stderr)
    return code
