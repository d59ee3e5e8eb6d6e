"""Installations of the Slack app by OAuth, as storage sees them: rows, encrypted tokens.

slack_sdk's SQLAlchemy stores write and read these tables for Bolt's OAuth flow (``bot/``
wraps them); what the bot asks beyond them lives here: the token of the workspace a message
goes to, an OAuth state used once, the installations a workspace's revocation removes.

Tokens are encrypted with Fernet (AES in CBC mode with an HMAC) under the operator's
``CHEMCLUST_SECRET_KEY``: a copy of the database, a backup or a log of its rows holds none.
"""

from __future__ import annotations

from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, desc, or_, select
from sqlalchemy.orm import Session

from storage.models import SlackBot, SlackInstallation, SlackOAuthState
from storage.workspaces import workspace_organisation

# The columns of an installation that hold a credential.
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


class SecretKeyError(ValueError):
    """The key is not a Fernet key (32 bytes, URL-safe base64)."""


class TokenCipher:
    def __init__(self, key: str):
        try:
            self._fernet = Fernet(key.encode())
        except (ValueError, TypeError):
            raise SecretKeyError(
                "not a Fernet key: 44 characters of URL-safe base64, such as "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'` prints"
            ) from None

    def seal(self, token: str | None) -> str | None:
        return None if token is None else self._fernet.encrypt(token.encode()).decode()

    def open(self, sealed: str | None) -> str | None:
        if sealed is None:
            return None
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            # Sealed under another key (CHEMCLUST_SECRET_KEY changed): unusable, not a crash.
            return None


def sealed_bot_token(
    *, session: Session, client_id: str, team_id: str, enterprise_id: str | None = None
) -> str | None:
    """The newest sealed bot token for a workspace: installed in the team itself, or across
    its Enterprise Grid organisation (an org-wide install has no team). Without
    ``enterprise_id``, the organisation noted on the linked workspace is used."""
    enterprise_id = enterprise_id or workspace_organisation(
        session=session, platform="slack", external_id=team_id
    )
    reaches = SlackBot.team_id == team_id
    if enterprise_id:
        reaches = or_(
            reaches,
            (SlackBot.enterprise_id == enterprise_id) & SlackBot.is_enterprise_install.is_(True),
        )
    return session.scalar(
        select(SlackBot.bot_token)
        .where(SlackBot.client_id == client_id, reaches, SlackBot.bot_token.is_not(None))
        .order_by(desc(SlackBot.installed_at), desc(SlackBot.id))
        .limit(1)
    )


def sealed_bot_tokens(
    *, session: Session, client_id: str
) -> list[tuple[str | None, str | None, str | None]]:
    """(team id, enterprise id, sealed bot token) of each installation, its newest only: the
    workspaces (and Enterprise Grid orgs) the app is installed in now."""
    rows = session.execute(
        select(SlackBot.team_id, SlackBot.enterprise_id, SlackBot.bot_token)
        .where(SlackBot.client_id == client_id)
        .order_by(SlackBot.installed_at, SlackBot.id)
    ).all()
    newest = {(team, enterprise): sealed for team, enterprise, sealed in rows}
    return [(team, enterprise, sealed) for (team, enterprise), sealed in newest.items()]


def consume_oauth_state(*, session: Session, state: str, now: datetime) -> bool:
    """Use ``state`` up: True once, for a state handed out and not expired; one statement,
    so two redirects racing with the same state cannot both pass."""
    naive_now = now.replace(tzinfo=None)  # the store writes naive UTC
    used = session.execute(
        delete(SlackOAuthState).where(
            SlackOAuthState.state == state, SlackOAuthState.expire_at > naive_now
        )
    )
    return bool(used.rowcount)


def remove_installations(
    *, session: Session, client_id: str, team_id: str | None, enterprise_id: str | None
) -> int:
    """Every installation and bot row of a workspace (or an org-wide install): it revoked or
    uninstalled the app."""
    removed = 0
    for model in (SlackInstallation, SlackBot):
        where = [model.client_id == client_id]
        where.append(model.team_id == team_id if team_id else model.team_id.is_(None))
        if enterprise_id:
            where.append(model.enterprise_id == enterprise_id)
        removed += session.execute(delete(model).where(*where)).rowcount or 0
    return removed
