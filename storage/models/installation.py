"""Slack installations by OAuth, one row per install, and the OAuth states handed out.

The columns are those slack_sdk's SQLAlchemy installation and state stores read and write
(``slack_installations``, ``slack_bots``, ``slack_oauth_states``); the stores keep their own
table objects, the schema is ours and made by migration 0015. Tokens are held as text
because the bot stores them encrypted (Fernet), longer than Slack's own strings. The stores
write naive UTC datetimes, so these columns keep no zone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class _BotColumns:
    """What an installation and a bot row both hold: the app, the workspace, the bot."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(32))
    app_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(Text)
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_enterprise_install: Mapped[bool] = mapped_column(default=False)
    installed_at: Mapped[datetime] = mapped_column(DateTime)


class SlackInstallation(_BotColumns, Base):
    __tablename__ = "slack_installations"
    __table_args__ = (
        Index(
            "slack_installations_idx",
            "client_id",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )

    enterprise_url: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(32))
    user_token: Mapped[str | None] = mapped_column(Text)
    user_scopes: Mapped[str | None] = mapped_column(String(1000))
    user_refresh_token: Mapped[str | None] = mapped_column(Text)
    user_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    incoming_webhook_url: Mapped[str | None] = mapped_column(Text)
    incoming_webhook_channel: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_channel_id: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_configuration_url: Mapped[str | None] = mapped_column(String(200))
    token_type: Mapped[str | None] = mapped_column(String(32))


class SlackBot(_BotColumns, Base):
    __tablename__ = "slack_bots"
    __table_args__ = (
        Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )


class SlackOAuthState(Base):
    __tablename__ = "slack_oauth_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(200))
    expire_at: Mapped[datetime] = mapped_column(DateTime)
