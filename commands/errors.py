"""Errors a command raises for input it cannot accept; the core turns them into private replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.reply import Code, Paragraph, Reply, text

if TYPE_CHECKING:
    from commands.registry import Registry


class CommandError(Exception):
    """The user's input cannot be carried out. ``message`` says what was wrong, ``usage`` how to
    write it. Nothing has been written when this is raised."""

    def __init__(self, message: str, *, usage: str | None = None):
        super().__init__(message)
        self.message = message
        self.usage = usage


class NotInGroup(CommandError):
    """The person's workspace has not joined a working group (the bot serves several
    workspaces, and each joins by invitation): nothing is shown, nothing written."""

    def __init__(self) -> None:
        super().__init__(
            "This workspace is not part of a working group yet; ask a coordinator for an "
            "invitation, then type the code they give you here.",
            usage="/chemclust accept <code>",
        )


class NotAllowed(CommandError):
    """The user's role does not allow this (e.g. a partner changing shared data)."""


def unknown_command(name: str, registry: Registry) -> Reply:
    known = ", ".join(f"/{command}" for command in sorted(registry.commands))
    return Reply(
        private=True,
        parts=(
            Paragraph(text("There is no command ", Code("/" + name.strip().lstrip("/")), ".")),
            Paragraph(text(f"Commands: {known}. Try ", Code("/chemclust help"), ".")),
        ),
    )
