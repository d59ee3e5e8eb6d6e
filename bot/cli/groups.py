"""Sub-command groups shared by several modules: ``chemclust-bot export benchmark`` and
``chemclust-bot export pilots`` come from different modules but hang under one ``export``."""

from __future__ import annotations

import argparse

IMPORT_HELP = "load records from files, all or nothing: benchmark figures, Eurostat, practices"
EXPORT_HELP = "write records to files: benchmark workbooks, pilot updates"

_GROUPS: dict[tuple[int, str], argparse._SubParsersAction] = {}


def command_group(
    subcommands: argparse._SubParsersAction, name: str, *, help: str
) -> argparse._SubParsersAction:
    """The sub-parsers of the group ``name``, created by whichever module asks first."""
    key = (id(subcommands), name)
    if key not in _GROUPS:
        parser = subcommands.add_parser(name, help=help)
        _GROUPS[key] = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="WHAT")
    return _GROUPS[key]
