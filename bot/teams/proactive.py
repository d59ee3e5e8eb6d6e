"""Messages the bot starts itself (reminders): a Reply into a stored Teams conversation.

A bot can only write where it has been addressed or installed: that is when the conversation
reference (service URL, conversation, bot account) was saved to the database. From it the
adapter's ``continue_conversation`` opens a turn and the rendered reply goes through the
Bot Connector of that service URL. With Teams credentials the connector call carries an
MSAL token for the bot's app id; in anonymous (local) mode it carries none, which only a
local stub connector accepts.
"""

from __future__ import annotations

import asyncio
from typing import Any

from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext

from bot.teams import render
from bot.teams.delivery import to_activity
from commands.reply import Reply
from storage.db import SessionFactory
from storage.teams import get_conversation, personal_conversation


class UnknownConversation(LookupError):
    """No reference is stored for that conversation (or person): the bot was never there."""


class TeamsSender:
    """Sends replies to Teams conversations outside a turn; one per web process."""

    def __init__(self, adapter: Any, sessions: SessionFactory, *, app_id: str = ""):
        self.adapter = adapter
        self.sessions = sessions
        self.app_id = app_id

    def _reference(self, conversation_id: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = get_conversation(session=session, conversation_id=conversation_id)
            return dict(row.reference) if row is not None else None

    def _personal_conversation_id(self, user_id: str) -> str | None:
        with self.sessions() as session:
            row = personal_conversation(session=session, user_id=user_id)
            return row.conversation_id if row is not None else None

    async def send(self, conversation_id: str, reply: Reply) -> str | None:
        """Post the reply into the conversation; the id Teams gave the message, if any.

        Raises ``UnknownConversation`` when no reference is stored, and whatever the
        connector call raised when Teams refused or could not be reached, so that the
        caller can record the failure and try again later.
        """
        raw = await asyncio.to_thread(self._reference, conversation_id)
        if raw is None:
            raise UnknownConversation(conversation_id)
        reference = ConversationReference.model_validate(raw)
        continuation = reference.get_continuation_activity()
        activity = to_activity(render.message(reply))
        sent: dict[str, Any] = {}

        async def deliver(context: TurnContext) -> None:
            # The adapter would route an exception to its turn-error handler (an apology
            # into the conversation); the caller should see it instead.
            try:
                response = await context.send_activity(activity)
                sent["id"] = response.id if response is not None else None
            except Exception as error:
                sent["error"] = error

        if self.app_id:
            await self.adapter.continue_conversation(self.app_id, continuation, deliver)
        else:
            await self.adapter.continue_conversation_with_claims(
                ClaimsIdentity(), continuation, deliver
            )
        if "error" in sent:
            raise sent["error"]
        return sent.get("id")

    async def send_to_person(self, user_id: str, reply: Reply) -> str | None:
        """Post into the personal chat with this person (AAD object id), if they have one."""
        conversation_id = await asyncio.to_thread(self._personal_conversation_id, user_id)
        if conversation_id is None:
            raise UnknownConversation(f"no personal chat with {user_id}")
        return await self.send(conversation_id, reply)
