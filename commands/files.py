"""Files people send the bot, and the features that read them.

An adapter turns a platform's file into an ``IncomingFile`` and calls ``Core.receive_file``.
Each feature that reads files registers a ``FileIntake``; they are asked in turn whether a file
is theirs (from its name, type or first bytes: no database), and the first that claims it
reads it. A file nobody claims gets an answer that says what the bot reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.reply import Code, Paragraph, Reply, text

if TYPE_CHECKING:
    from commands.context import Context


@dataclass(frozen=True)
class IncomingFile:
    """A file someone sent the bot, with the message it came with."""

    filename: str
    content: bytes
    # The platform's reference to this message and file; a redelivery carries the same one.
    source_ref: str
    message: str = ""
    mime: str = ""  # as the platform reports it; may be empty


@dataclass(frozen=True)
class FileIntake:
    # What it reads, for the answer to a file nobody claims: "benchmark figures (.csv, .xlsx)".
    reads: str
    claims: Callable[[IncomingFile], bool]
    # None when the file was handled before (a redelivery).
    receive: Callable[[Context, IncomingFile], Reply | None]


def unclaimed(incoming: IncomingFile, intakes: list[FileIntake]) -> Reply:
    """The answer to a file no feature reads."""
    if not intakes:
        said = text("I do not read files; ", Code(incoming.filename), " was left alone.")
        return Reply(private=True, parts=(Paragraph(said),), summary="The bot reads no files.")
    reads = "; ".join(intake.reads for intake in intakes)
    return Reply(
        private=True,
        parts=(
            Paragraph(text("I cannot read ", Code(incoming.filename), ".")),
            Paragraph(text(f"Files I read: {reads}.")),
        ),
        summary=f"I read {reads}.",
    )
