"""Rendered replies -> Bot Framework activities, sent in a turn (answers) or outside one."""

from __future__ import annotations

from microsoft_agents.activity import Activity, ActivityTypes, Attachment
from microsoft_agents.hosting.core import TurnContext

from bot.teams import render
from commands.reply import Reply


def to_activity(message: render.Message) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        attachments=[Attachment.model_validate(a) for a in message.attachments],
        summary=message.summary,
    )


async def send(context: TurnContext, reply: Reply | render.Message) -> str | None:
    """Send into the turn's conversation; the activity id Teams gave it, when it says."""
    message = render.message(reply) if isinstance(reply, Reply) else reply
    response = await context.send_activity(to_activity(message))
    return response.id if response is not None else None
