"""With OAuth on: the workspaces that installed the app, and whether their stored bot tokens
open with CHEMCLUST_SECRET_KEY (a changed key leaves every workspace without a token)."""

from __future__ import annotations

from bot.checks import Check, ok, problem, skipped, warning
from bot.settings import Settings
from storage.db import SessionFactory
from storage.installations import SecretKeyError, TokenCipher, sealed_bot_tokens

NAME = "slack installations"


def slack_installations(settings: Settings, sessions: SessionFactory) -> Check:
    try:
        cipher = TokenCipher(settings.secret_key)
    except SecretKeyError:
        return skipped(NAME, "CHEMCLUST_SECRET_KEY is not a key (see slack settings)")
    with sessions() as session:
        found = sealed_bot_tokens(session=session, client_id=settings.slack_client_id)
    if not found:
        address = settings.public_url or "PUBLIC_URL"
        return warning(
            NAME,
            "no workspace has installed the app yet",
            f"open {address}/slack/install and add the app to the first workspace, then link "
            "it to its group with `chemclust-bot group link <team id>`",
        )
    unreadable = [
        team or f"org {enterprise}"
        for team, enterprise, sealed in found
        if sealed is not None and cipher.open(sealed) is None
    ]
    if unreadable:
        return problem(
            NAME,
            f"{len(unreadable)} of {len(found)} installations have a bot token that does not "
            f"open with CHEMCLUST_SECRET_KEY ({', '.join(unreadable)}): it was sealed under "
            "another key, and nothing can be sent there",
            "set CHEMCLUST_SECRET_KEY back to the key they were sealed with, or install the "
            "app again in those workspaces (PUBLIC_URL/slack/install)",
        )
    return ok(
        NAME,
        f"{len(found)} installation(s); every bot token opens with CHEMCLUST_SECRET_KEY",
    )
