"""Command-line tools a feature offers the people who run the bot: ``chemclust-bot import
benchmark FILE``, ``chemclust-bot export pilots --out FILE.xlsx``.

A feature registers a ``Tool``: the group it hangs under (``IMPORT``, ``EXPORT``, ``REPORT``
or one of its own), its name and help, a function that adds its arguments to an argparse
parser, and a function of a ``Context`` and the parsed arguments that returns a
``ToolOutcome``. The context is the local operator's, in the working group the command line's
``--group`` names (the default group without it). The command line builds its sub-commands
from the registry, adds ``--group`` to every tool and ``--out`` to those that write a file,
writes that file where the operator asked, and prints the outcome; a tool touches no file it
writes and prints nothing itself.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.reply import Reply

if TYPE_CHECKING:
    from commands.context import Context


@dataclass(frozen=True)
class ToolGroup:
    name: str  # the first word: ``chemclust-bot import …``
    help: str  # what its tools do; the command line adds what each one works on


IMPORT = ToolGroup("import", "load records from files, all or nothing")
EXPORT = ToolGroup("export", "write records to files")
REPORT = ToolGroup("report", "write the project's reports as documents")


@dataclass(frozen=True)
class ToolOutcome:
    """What a tool did: its exit code, and what the command line shows and writes."""

    code: int = 0
    reply: Reply | None = None  # shown as terminal text
    refusal: str = ""  # one line saying what was wrong, shown after the program's name
    said: str = ""  # plain lines after the reply
    # Refusals some tools print on the error stream, so that scripts reading the output of
    # a working run never mistake them for it.
    on_stderr: bool = False
    file: bytes | None = None  # written to ``--out`` (a tool with ``writes`` only)
    written: str = ""  # what the file holds, for "Wrote FILE (…)"


@dataclass(frozen=True)
class Tool:
    group: ToolGroup
    name: str  # the second word: ``chemclust-bot import benchmark``
    help: str  # one line in the group's list
    topic: str  # what it works on, in the group's help: "benchmark figures"
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Context, argparse.Namespace], ToolOutcome]
    description: str | None = None  # the tool's own --help, when one line is not enough
    # The suffixes the file it writes may have (".xlsx", ".csv"); empty: it writes none.
    writes: tuple[str, ...] = ()
    out_help: str = ""  # the --out option's help

    @property
    def key(self) -> tuple[str, str]:
        return (self.group.name, self.name)


def year_option(read: Callable[[str], int]) -> Callable[[str], int]:
    """An argparse ``type`` from a number reader that raises ``ValueError`` (``NumberError``):
    a wrong number ends the command line with its usage and the reader's words."""

    def option(typed: str) -> int:
        try:
            return read(typed)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return option
