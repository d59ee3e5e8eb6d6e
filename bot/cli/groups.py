"""Sub-command groups shared by several registrations: ``chemclust-bot export benchmark`` (a
feature's tool) and ``chemclust-bot export audit`` (the command line's own) hang under one
``export``."""

from __future__ import annotations

import argparse
import weakref

# Per parser, not per id(): a new parser may get the id of one already collected, and would
# then be handed that one's groups ("conflicting subparser" on the second build_parser()).
_GROUPS: weakref.WeakKeyDictionary[
    argparse._SubParsersAction, dict[str, argparse._SubParsersAction]
] = weakref.WeakKeyDictionary()


def command_group(
    subcommands: argparse._SubParsersAction, name: str, *, help: str
) -> argparse._SubParsersAction:
    """The sub-parsers of the group ``name``, created (with ``help``) by whichever asks first."""
    groups = _GROUPS.setdefault(subcommands, {})
    if name not in groups:
        parser = subcommands.add_parser(name, help=help)
        groups[name] = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="WHAT")
    return groups[name]
