"""Activity handlers: messages and card submissions become ``commands`` calls; installs are noted.

Teams has no slash commands. A message in a personal chat, or a channel / group-chat message
that @mentions the bot, is a command line: ``benchmark Limburg`` and ``/benchmark Limburg``
both work — unless it is a pilot update (``update skills: …``), which is logged instead
(``bot.teams.messages``). Buttons and forms come back as Action.Submit data on a message
activity. Edits and deletions of messages follow the updates logged from them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState

from bot.teams import identity as identities
from bot.teams import messages, render
from bot.teams.conversations import PERSONAL, delivery_key, record_activity
from bot.teams.delivery import send
from bot.teams.mentions import read_mentions
from bot.teams.surface import TEAMS_SURFACE
from bot.teams.text import message_text
from commands.conversation import answer_written, welcome
from commands.core import Core
from commands.failures import database_unavailable
from commands.reply import FormErrors, Paragraph, Reply, text
from storage.db import database_unreachable, outage_reason

log = logging.getLogger(__name__)

WELCOME = (
    "Hello, I am the ChemClust bot. Write to me here (in a channel, mention me first): "
    "benchmark Limburg, chemclust join <your region>, chemclust help."
)


def register(agent: AgentApplication, core: Core) -> None:
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        await unless_database_away(context, handle_message(core, context))

    async def on_installed(context: TurnContext, _state: TurnState) -> None:
        await unless_database_away(context, handle_installation(core, context))

    async def on_change(context: TurnContext, _state: TurnState) -> None:
        await unless_database_away(context, messages.handle_change(core, context))

    agent.activity("message")(on_message)
    agent.activity([ActivityTypes.message_update, ActivityTypes.message_delete])(on_change)
    agent.activity("conversationUpdate")(on_installed)
    agent.activity("installationUpdate")(on_installed)


def addressed_to_bot(activity: Any) -> bool:
    """Personal chats always; channels and group chats only when the bot is @mentioned."""
    conversation = activity.conversation
    if conversation is None or (conversation.conversation_type or PERSONAL) == PERSONAL:
        return True
    bot_id = activity.recipient.id if activity.recipient else None
    return any(m.mentioned and m.mentioned.id == bot_id for m in activity.get_mentions())


async def unless_database_away(context: TurnContext, turn: Awaitable[None]) -> None:
    """Run a turn; when the database is away (the activity could not even be recorded), say
    so to whoever wrote to the bot, and log one line instead of an error id and traceback."""
    try:
        await turn
    except Exception as error:
        if not database_unreachable(error):
            raise
        log.warning("Teams activity not handled: database unavailable (%s)", outage_reason(error))
        activity = context.activity
        written_to_bot = activity.type == ActivityTypes.message and (
            addressed_to_bot(activity) or isinstance(activity.value, dict)
        )
        if written_to_bot:
            await send(context, database_unavailable())


async def handle_message(core: Core, context: TurnContext) -> None:
    activity = context.activity
    await asyncio.to_thread(record_activity, core.sessions, activity)
    who = identities.from_activity(activity)
    delivery = delivery_key(activity)
    if isinstance(activity.value, dict) and activity.value:
        await handle_submission(core, context, activity.value, delivery)
        return
    if not addressed_to_bot(activity):
        return
    line = message_text(activity.text)
    if line and await messages.log_if_update(core, context, who):
        return
    if line:
        mentions = await read_mentions(context)
        reply = await asyncio.to_thread(
            answer_written,
            core,
            who,
            line,
            can_open_forms=True,
            mentions=mentions,
            surface=TEAMS_SURFACE,
            delivery_id=delivery,
        )
    else:
        reply = await asyncio.to_thread(
            core.run_command, who, "chemclust", "help", surface=TEAMS_SURFACE, delivery_id=delivery
        )
    if reply is None:
        log.info("Teams retried activity %s; it was handled already", activity.id)
        return
    await send(context, reply)


async def handle_submission(
    core: Core, context: TurnContext, data: dict[str, Any], delivery: str | None
) -> None:
    """A card's Action.Submit: a button (action id + value) or a form (id, token, inputs).

    Everything in ``data`` came back from the client: the core treats the action's value and
    the form's token as claims and checks them.
    """
    who = identities.from_activity(context.activity)
    if render.ACTION_ID in data:
        action_id = str(data[render.ACTION_ID])
        value = str(data.get(render.ACTION_VALUE) or "")
        reply = await asyncio.to_thread(
            core.run_action, who, action_id, value, surface=TEAMS_SURFACE, delivery_id=delivery
        )
        if reply is not None:
            await send(context, reply)
        return
    if render.FORM_ID not in data:
        log.warning("card submission without an action or form id: %s", sorted(data))
        return
    values = render.submitted_values(data)
    try:
        submitted = await asyncio.to_thread(
            core.submit_form,
            who,
            str(data[render.FORM_ID]),
            values,
            str(data.get(render.FORM_STATE) or ""),
            surface=TEAMS_SURFACE,
        )
    except FormErrors as problems:
        if problems.form is None:
            listed = "; ".join(problems.errors.values())
            await send(context, Reply(private=True, parts=(Paragraph(text(listed)),)))
            return
        await send(
            context, render.form_message(problems.form, errors=problems.errors, values=values)
        )
        return
    await send(context, submitted.reply)


async def handle_installation(core: Core, context: TurnContext) -> None:
    """Save the reference when the bot joins a team, chat or personal scope; say hello once."""
    activity = context.activity
    await asyncio.to_thread(record_activity, core.sessions, activity)
    bot_id = activity.recipient.id if activity.recipient else None
    added = any(member.id == bot_id for member in activity.members_added or [])
    if not added:
        return
    greeting = None
    conversation = activity.conversation
    if conversation is not None and conversation.conversation_type == PERSONAL:
        # One person installed the bot for themselves: the welcome with its buttons.
        greeting = await asyncio.to_thread(welcome, core, messages.author(activity))
    await send(context, greeting or Reply(parts=(Paragraph(text(WELCOME)),), summary=WELCOME))
