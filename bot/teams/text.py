"""What a person typed to the bot, without the @mention and Teams' HTML leftovers."""

from __future__ import annotations

import html
import re

# "<at>ChemClust</at>" (the SDK usually removes the bot's own; this is the fallback).
_LEADING_MENTION = re.compile(r"^\s*<at>[^<]*</at>\s*", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:p|div|span|br)\b[^>]*>", re.IGNORECASE)


def command_text(raw: str | None, *, bot_name: str | None = None) -> str:
    """``<at>ChemClust</at> /benchmark&nbsp;Limburg`` -> ``/benchmark Limburg``."""
    value = raw or ""
    # Teams clients sometimes send the message as HTML even with textFormat "plain".
    value = _TAGS.sub(" ", value)
    while _LEADING_MENTION.match(value):
        value = _LEADING_MENTION.sub("", value, count=1)
    value = html.unescape(value).replace("\xa0", " ")
    if bot_name and value.lower().startswith("@" + bot_name.lower()):
        value = value[len(bot_name) + 1 :]
    return " ".join(value.split())
