"""Inline pieces -> Slack mrkdwn, with every piece of plain text escaped."""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.markup import wrap_tight
from commands.reply import Bold, Code, Inline, Link, Text, UserRef, When, format_when

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def escape(value: str) -> str:
    """Slack's three control characters; with them escaped nobody can ping or link via the bot."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(value: str) -> str:
    """Text as the person typed it: Slack sends "&", "<" and ">" of typed text escaped."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _safe_url(url: str) -> str:
    # A "|" or ">" would end the link early and let the rest be read as markup.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def _date_token(when: When) -> str:
    fallback = escape(format_when(when))
    if when.precision == "month":
        return fallback
    epoch = int(when.at.timestamp())
    layout = "{date_short_pretty}" if when.precision == "day" else "{date_short_pretty} {time}"
    return f"<!date^{epoch}^{layout}|{fallback}>"


def inline(piece: Inline) -> str:
    match piece:
        case str():
            return escape(piece)
        case Bold():
            return wrap_tight("*", piece.text, escape)
        case Code():
            return wrap_tight("`", piece.text.replace("`", "ˋ"), escape)
        case Link():
            return f"<{_safe_url(piece.url)}|{escape(piece.text)}>"
        case UserRef():
            if _SLACK_USER_ID.match(piece.user_id):
                return f"<@{piece.user_id}>"
            return escape("@" + (piece.fallback or piece.user_id))
        case When():
            return _date_token(piece)
    raise TypeError(f"cannot render {piece!r}")


def mrkdwn(value: Text) -> str:
    return "".join(inline(piece) for piece in value)
