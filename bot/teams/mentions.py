"""People @mentioned in a Teams message, as the neutral mentions commands understand.

Teams writes a mention as ``<at>Ada Lovelace</at>`` in the text and adds an entity naming
the person's Bot Framework id ("29:…"). The bot knows people by their Entra (AAD) object id
(``identity.from_activity``), so each mention is resolved to it: from the entity when Teams
includes it, else by asking the conversation's roster. A mention that cannot be resolved is
left out: the command then says it does not recognise the person, rather than acting on a
made-up one.
"""

from __future__ import annotations

import asyncio
import logging
import re

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from commands.context import PERSON, Mention

log = logging.getLogger(__name__)

ROSTER_LOOKUP_SECONDS = 2.0
_TAG = re.compile(r"</?at>", re.IGNORECASE)


async def read_mentions(context: TurnContext) -> tuple[Mention, ...]:
    activity = context.activity
    bot_id = activity.recipient.id if activity.recipient else None
    found: list[Mention] = []
    for entity in activity.get_mentions():
        person = entity.mentioned
        if person is None or not person.id or person.id == bot_id:
            continue
        name = " ".join(_TAG.sub("", entity.text or "").split()) or person.name or person.id
        object_id = person.aad_object_id or await _object_id(context, person.id)
        if object_id:
            found.append(Mention(PERSON, object_id, name))
    return tuple(found)


async def _object_id(context: TurnContext, member_id: str) -> str | None:
    """The person's Entra object id from the conversation's roster; None if Teams won't say."""
    connector = context.services.get(ConnectorClientBase)
    conversation = context.activity.conversation
    if connector is None or conversation is None:
        return None
    try:
        member = await asyncio.wait_for(
            connector.conversations.get_conversation_member(conversation.id, member_id),
            ROSTER_LOOKUP_SECONDS,
        )
    except Exception as error:
        log.warning("could not look up a mentioned Teams member: %s", type(error).__name__)
        return None
    return member.aad_object_id or None
