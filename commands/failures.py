"""The private answers for a request that failed: the user's mistake with its usage, a
database that is away, or a bug with an error id to quote."""

from __future__ import annotations

import logging
import uuid

from commands.errors import CommandError
from commands.reply import Code, Paragraph, Reply, code_lines, text
from storage.db import database_unreachable, outage_reason

log = logging.getLogger("commands.core")

DATABASE_UNAVAILABLE = "The bot's database is unavailable; please try again in a minute."


def failure_reply(error: Exception, *, what: str) -> Reply:
    """A private answer for a failed request: the user's mistake, or an error id to quote."""
    if isinstance(error, CommandError):
        return error_reply(error)
    if database_unreachable(error):
        # Not a bug to look up: one line, no traceback, and it passes by itself.
        log.warning("database unavailable during %s: %s", what, outage_reason(error))
        return database_unavailable()
    error_id = uuid.uuid4().hex[:8]
    log.error(
        "error %s while running %s", error_id, what, exc_info=error, extra={"error_id": error_id}
    )
    return Reply(
        outcome="error",
        private=True,
        parts=(
            Paragraph(
                text(
                    "Sorry, something went wrong on our side. The coordinators can look "
                    "it up with error id ",
                    Code(error_id),
                    ".",
                )
            ),
        ),
        summary=f"Something went wrong (error id {error_id}).",
    )


def database_unavailable() -> Reply:
    return Reply(
        outcome="unavailable",
        private=True,
        parts=(Paragraph(text(DATABASE_UNAVAILABLE)),),
        summary=DATABASE_UNAVAILABLE,
    )


def error_reply(error: CommandError) -> Reply:
    parts = [Paragraph(text(error.message))]
    if error.usage:
        lines = error.usage.splitlines()
        separator = "\n" if len(lines) > 1 else " "
        parts.append(Paragraph(text("Usage:", separator, *code_lines(lines))))
    return Reply(outcome="refused", private=True, parts=tuple(parts), summary=error.message)
