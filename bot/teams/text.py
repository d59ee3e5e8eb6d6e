"""What a person typed to the bot, without the @mention and Teams' HTML leftovers."""

from __future__ import annotations

import html
import re

# "<at>ChemClust</at>" (the SDK usually removes the bot's own; this is the fallback).
_LEADING_MENTION = re.compile(r"^\s*<at>[^<]*</at>\s*", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:p|div|span)\b[^>]*>", re.IGNORECASE)


def command_text(raw: str | None) -> str:
    """``<at>ChemClust</at> /benchmark&nbsp;Limburg`` -> ``/benchmark Limburg``.

    The mention is stripped at the start only: that is where Teams puts the bot's, and a
    mention of someone else later on (``coordinator add @Ada``) is part of the command.
    """
    value = raw or ""
    # Teams clients sometimes send the message as HTML even with textFormat "plain".
    value = _TAGS.sub(" ", _LINE_BREAKS.sub("\n", value))
    while _LEADING_MENTION.match(value):
        value = _LEADING_MENTION.sub("", value, count=1)
    value = html.unescape(value).replace("\xa0", " ")
    # Spaces are tidied line by line; line breaks stay for commands that take several lines.
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "\n".join(line for line in lines if line)


# Someone else mentioned in the message: "<at>Jan Kowalski</at>" reads "@Jan Kowalski".
_MENTION = re.compile(r"<at>([^<]*)</at>", re.IGNORECASE)


def message_text(raw: str | None) -> str:
    """A message as its readers see it (what a pilot update stores): ``command_text``, with
    the remaining mentions written ``@Name``."""
    return _MENTION.sub(lambda found: "@" + found.group(1).strip(), command_text(raw))
