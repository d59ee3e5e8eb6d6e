"""Where Bolt's OAuth flow keeps installations and states: slack_sdk's SQLAlchemy stores on
the bot's own database, bot tokens sealed before they are written and opened when read.

The stores are synchronous, like the rest of the bot's storage; Bolt's async app gets them
through ``AsyncBridge``, which runs each call in a worker thread so that the event loop never
waits on the database. The tables come from migration 0015, never from ``create_tables``.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from storage.db import SessionFactory
from storage.installations import (
    TOKEN_FIELDS,
    TokenCipher,
    consume_oauth_state,
    remove_installations,
    sealed_bot_token,
)
from storage.models import utcnow

log = logging.getLogger(__name__)
# How long an install link's state stays good: long enough to read Slack's consent page.
STATE_SECONDS = 600


class SealedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, with every token sealed in the database and open in memory."""

    def __init__(self, client_id: str, sessions: SessionFactory, cipher: TokenCipher):
        super().__init__(client_id=client_id, engine=sessions.kw["bind"], logger=log)
        self.sessions = sessions
        self.cipher = cipher

    def save(self, installation: Installation) -> None:
        # slack_sdk saves the bot row from the installation given: sealed once, here.
        super().save(self.sealed(installation))

    def find_bot(self, **ids: Any) -> Bot | None:
        return self._opened(super().find_bot(**ids))

    def find_installation(self, **ids: Any) -> Installation | None:
        return self._opened(super().find_installation(**ids))

    def bot_token(self, team_id: str, enterprise_id: str | None = None) -> str | None:
        """The bot token that reaches ``team_id`` (None: the app is not installed there)."""
        with self.sessions() as session:
            sealed = sealed_bot_token(
                session=session,
                client_id=self.client_id,
                team_id=team_id,
                enterprise_id=enterprise_id,
            )
        return self.cipher.open(sealed)

    def remove(self, *, team_id: str | None, enterprise_id: str | None) -> int:
        """Forget a workspace's installation whole: its tokens were revoked or it uninstalled."""
        with self.sessions.begin() as session:
            return remove_installations(
                session=session,
                client_id=self.client_id,
                team_id=team_id,
                enterprise_id=enterprise_id,
            )

    def sealed(self, found: Any) -> Any:
        # A copy: Bolt goes on using the installation it handed over (the success page).
        sealed = copy.copy(found)
        for name in TOKEN_FIELDS:
            if hasattr(sealed, name):
                setattr(sealed, name, self.cipher.seal(getattr(sealed, name)))
        return sealed

    def _opened(self, found: Any) -> Any:
        if found is None:
            return None
        for name in TOKEN_FIELDS:
            if hasattr(found, name):
                setattr(found, name, self.cipher.open(getattr(found, name)))
        return found


class OnceStateStore(SQLAlchemyOAuthStateStore):
    """States are used up in one statement: two redirects with one state cannot both pass."""

    def __init__(self, sessions: SessionFactory, *, expiration_seconds: int = STATE_SECONDS):
        super().__init__(expiration_seconds, sessions.kw["bind"], logger=log)
        self.sessions = sessions

    def consume(self, state: str) -> bool:
        with self.sessions.begin() as session:
            return consume_oauth_state(session=session, state=state, now=utcnow())


class AsyncBridge(AsyncInstallationStore, AsyncOAuthStateStore):
    """The synchronous stores as Bolt's async app wants them, each call in a worker thread."""

    def __init__(self, installations: SealedInstallationStore, states: OnceStateStore):
        self.installations = installations
        self.states = states

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.installations.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        # ``save_bot`` writes what it is given: seal it first.
        await asyncio.to_thread(self.installations.save_bot, self.installations.sealed(bot))

    async def async_find_bot(self, **ids: Any) -> Bot | None:
        return await asyncio.to_thread(lambda: self.installations.find_bot(**ids))

    async def async_find_installation(self, **ids: Any) -> Installation | None:
        return await asyncio.to_thread(lambda: self.installations.find_installation(**ids))

    async def async_delete_bot(self, **ids: Any) -> None:
        await asyncio.to_thread(lambda: self.installations.delete_bot(**ids))

    async def async_delete_installation(self, **ids: Any) -> None:
        await asyncio.to_thread(lambda: self.installations.delete_installation(**ids))

    async def async_delete_all(self, **ids: Any) -> None:
        await asyncio.to_thread(lambda: self.installations.delete_all(**ids))

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.states.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.states.consume, state)
