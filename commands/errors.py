"""Errors a command raises for input it cannot accept; the core turns them into private replies."""

from __future__ import annotations


class CommandError(Exception):
    """The user's input cannot be carried out. ``message`` says what was wrong, ``usage`` how to
    write it. Nothing has been written when this is raised."""

    def __init__(self, message: str, *, usage: str | None = None):
        super().__init__(message)
        self.message = message
        self.usage = usage


class NotAllowed(CommandError):
    """The user's role does not allow this (e.g. a partner changing shared data)."""
