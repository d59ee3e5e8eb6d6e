"""Inline pieces -> the Markdown subset of Adaptive Card text, with plain text escaped.

Teams renders TextBlock and FactSet text as Markdown (bold, italics, lists, links) and
expands ``{{DATE(…)}}`` / ``{{TIME(…)}}`` in each reader's own locale and time zone.
User text must do neither: every Markdown marker is backslash-escaped and "{{" is broken up.
"""

from __future__ import annotations

import re
from datetime import UTC
from urllib.parse import quote, urlsplit

from bot.markup import wrap_tight
from commands.reply import Bold, Code, Inline, Link, Text, UserRef, When, format_when

_MARKERS = re.compile(r"([\\`*_~\[\]<>])")
# A line that starts like a list item or heading would be formatted as one.
_LINE_START = re.compile(r"(?m)^(\s*)([-+#]|\d+[.)])(?=\s|$)")
_ZERO_WIDTH_SPACE = "\u200b"
_SAFE_SCHEMES = {"http", "https", "mailto"}


def _escape_marker(found: re.Match[str]) -> str:
    """A list marker escaped: ``- x`` -> ``\\- x``, ``1. x`` -> ``1\\. x`` (only punctuation)."""
    indent, marker = found.group(1), found.group(2)
    return f"{indent}{marker[:-1]}\\{marker[-1]}"


def escape(value: str) -> str:
    value = _MARKERS.sub(r"\\\1", value)
    value = _LINE_START.sub(_escape_marker, value)
    # Adaptive Cards read "{{DATE(...)}}" in text as a function call, whoever typed it.
    return value.replace("{{", "{" + _ZERO_WIDTH_SPACE + "{")


def safe_url(url: str) -> str | None:
    """The URL with characters that would end a Markdown link encoded; None if not web/mail."""
    if urlsplit(url).scheme.lower() not in _SAFE_SCHEMES:
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def date_function(when: When) -> str:
    """Teams shows ``{{DATE(…)}}`` and ``{{TIME(…)}}`` in the reader's locale and zone."""
    if when.precision == "month":
        return escape(format_when(when))
    stamp = when.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if when.precision == "day":
        return f"{{{{DATE({stamp}, SHORT)}}}}"
    return f"{{{{DATE({stamp}, SHORT)}}}} {{{{TIME({stamp})}}}}"


def inline(piece: Inline, *, dates: bool = True) -> str:
    match piece:
        case str():
            return escape(piece)
        case Bold():
            return wrap_tight("**", piece.text, escape)
        case Code():
            # Adaptive Card Markdown has no inline code; the text itself is shown, escaped.
            return escape(piece.text)
        case Link():
            url = safe_url(piece.url)
            return f"[{escape(piece.text)}]({url})" if url else escape(piece.text)
        case UserRef():
            return escape(piece.fallback or piece.user_id)
        case When():
            # Date functions are documented for TextBlock only; facts get the zone's time.
            return date_function(piece) if dates else escape(format_when(piece))
    raise TypeError(f"cannot render {piece!r}")


def markdown(value: Text, *, dates: bool = True) -> str:
    return "".join(inline(piece, dates=dates) for piece in value)
