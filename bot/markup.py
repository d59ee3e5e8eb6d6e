"""What the Slack and Teams renderers share about inline markup."""

from __future__ import annotations

from collections.abc import Callable


def wrap_tight(marker: str, value: str, escape: Callable[[str], str]) -> str:
    """``marker`` around the words of ``value`` (bold, code); surrounding spaces stay outside,
    because both Slack's mrkdwn and Markdown ignore a marker that touches a space."""
    core = value.strip()
    if not core:
        return escape(value)
    lead = value[: len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()) :]
    return f"{lead}{marker}{escape(core)}{marker}{trail}"
