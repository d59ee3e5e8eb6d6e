"""Slack message text -> the plain text a reader sees (what gets stored and parsed)."""

from __future__ import annotations

import re

from bot.slack.mrkdwn import unescape
from commands.context import CHANNEL, PERSON, Mention

# <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>, <https://x|label>
_ENTITY = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def _entity(found: re.Match[str]) -> str:
    target, label = found.group(1), found.group(2)
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        special = target[1:].split("^")[0]
        return label or "@" + special
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if label and label != target:
        return f"{label} ({target})"
    return target


def plain_text(text: str) -> str:
    """Mentions, channels and links as they read; Slack's &amp; &lt; &gt; turned back."""
    readable = _ENTITY.sub(_entity, text or "")
    return readable.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def without_leading_mention(text: str, user_id: str | None) -> str:
    """``<@UBOT> update skills: …`` -> ``update skills: …`` (only a mention of ``user_id``)."""
    if not user_id:
        return text
    return re.sub(rf"^\s*<@{re.escape(user_id)}(?:\|[^>]*)?>[\s,:]*", "", text or "")


# <@U123|name> and <#C123|general>: the people and channels a command names.
_PERSON_OR_CHANNEL = re.compile(r"<([@#])([A-Z0-9]+)(?:\|([^<>]*))?>")


def command_text(text: str) -> tuple[str, tuple[Mention, ...]]:
    """A slash command's text as typed, its mentions read out: ``coordinator add <@U7|ada>``
    -> ``coordinator add @ada`` and the mention of U7 (commands never see Slack's markup)."""
    mentions: list[Mention] = []

    def read(found: re.Match[str]) -> str:
        sign, entity_id, label = found.group(1), found.group(2), found.group(3)
        name = (label or "").lstrip("@#") or entity_id
        mentions.append(Mention(PERSON if sign == "@" else CHANNEL, entity_id, name))
        return sign + name

    readable = _PERSON_OR_CHANNEL.sub(read, text or "")
    return unescape(readable), tuple(mentions)
