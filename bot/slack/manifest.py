"""What the app's manifest (``manifest.yml``) asks of Slack."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def manifest_scopes() -> tuple[str, ...]:
    """The bot scopes the manifest asks for, in its order: what an install grants by default."""
    import yaml

    text = resources.files("bot.slack").joinpath("manifest.yml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["oauth_config"]["scopes"]["bot"])
