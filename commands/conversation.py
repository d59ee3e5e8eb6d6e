"""Text written to the bot in a conversation (a direct message, a mention, the console):
a command line with or without the slash, the words people type first for help, and for
anything else the feature's short answer with buttons, never silence.

Shared by every adapter that lets people write to the bot, so ``help`` means the same there.
"""

from __future__ import annotations

from commands.context import Identity, Mention
from commands.core import Core
from commands.reply import Reply
from commands.surface import NO_SURFACE, Surface
from storage.text import clean_text

# Words people type first in any chat program; they mean the bot's own help.
HELP_WORDS = {"help", "/help", "?"}
HELP_LINE = "/chemclust help"


def answer_written(
    core: Core,
    identity: Identity,
    written: str,
    *,
    mentions: tuple[Mention, ...] = (),
    surface: Surface = NO_SURFACE,
    delivery_id: str | None = None,
    can_open_forms: bool = False,
) -> Reply | None:
    """The answer to ``written``; None for a redelivery of ``delivery_id`` already answered."""
    line = clean_text(written).strip()
    if line.lower() in HELP_WORDS:
        line = HELP_LINE
    not_understood = core.registry.not_understood
    if not_understood is None or (line and core.registry.find_command(line.split()[0])):
        return core.run_line(
            identity,
            line,
            can_open_forms=can_open_forms,
            mentions=mentions,
            surface=surface,
            delivery_id=delivery_id,
        )
    return core.run_handler(
        identity,
        lambda ctx: not_understood(ctx, line),
        what="text that is no command",
        delivery_id=delivery_id,
    )


def welcome(core: Core, identity: Identity) -> Reply | None:
    """The feature's welcome to someone who has just installed or opened the bot."""
    greet = core.registry.welcome
    return None if greet is None else core.run_handler(identity, greet, what="welcome")


# The line that builds a person's Home (their dashboard), for platforms with a home surface.
HOME_LINE = "home"
