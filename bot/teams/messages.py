"""Teams messages -> the neutral message entry point (pilot updates), and the outcome back.

A message to the bot (a personal chat, or a channel or group-chat message that mentions it)
goes to ``Core.handle_message`` first; only when no handler takes it is it run as a command.
Teams bots cannot add reactions, so what Slack shows with a ✅ is said in a short reply, and
the notes Slack shows only to the author are that reply too (in a channel: in the author's
thread, like every "private" answer in Teams).

Where a message lives: a Teams channel conversation is one thread ("19:…@thread.tacv2;
messageid=<first message>"), so the neutral message's channel is the channel itself and its
thread the first message's id; then ``update: …`` in any thread of a channel linked with
``pilot link`` counts, and "top level" means what it means in Slack. Chats are their own
conversation. The message id is the activity id, unique within the channel, which with the
channel is the update's unique key.

Edits and deletions arrive as activities of type ``messageUpdate`` (channelData.eventType
``editMessage`` or ``undeleteMessage``) and ``messageDelete`` (``softDeleteMessage``), carrying
the id of the message they change. SDK 1.9.0's ``AgentApplication.message_update`` selector
reads ``channel_data["event_type"]`` and so fails on Teams' camelCase ``eventType``; these
activities are routed by type instead and the event type is read here.
"""

from __future__ import annotations

import asyncio
from typing import Any

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.core import TurnContext

from bot.teams import identity as identities
from bot.teams.conversations import delivery_key, record_activity
from bot.teams.delivery import send
from bot.teams.links import channel_message_link, chat_message_link
from bot.teams.text import message_text
from commands.context import Identity
from commands.core import Core
from commands.messages import DELETED, EDITED, POSTED, ChatMessage, MessageOutcome
from commands.reply import Paragraph, Reply, text

EDIT_EVENTS = {"editMessage", "undeleteMessage"}
DELETE_EVENTS = {"softDeleteMessage"}
LOGGED = "✅ Logged."
WITHDRAWN = "No longer logged as a pilot update: the message does not start with update … any more."


class TeamsLookups:
    """The command layer's questions, answered from the activity: Teams has no permalink API
    for bots, and the author's name comes with the message."""

    def __init__(self, activity: Any):
        sender = activity.from_property
        team = identities.channel_data(activity).get("team")
        self.in_channel = identities.is_channel(activity)
        self.thread_root_id = identities.thread_root_id(activity)
        self.tenant_id = identities.tenant_id(activity)
        self.team_group_id = team.get("aadGroupId") if isinstance(team, dict) else None
        self.author_id = (sender.aad_object_id or sender.id) if sender else None
        self.author_name = sender.name if sender else None

    def permalink(self, channel_id: str, message_id: str) -> str | None:
        if self.in_channel:
            return channel_message_link(
                channel_id=channel_id,
                message_id=message_id,
                thread_root_id=self.thread_root_id,
                tenant_id=self.tenant_id,
                team_group_id=self.team_group_id,
            )
        return chat_message_link(
            chat_id=channel_id, message_id=message_id, tenant_id=self.tenant_id
        )

    def user_name(self, user_id: str) -> str | None:
        return self.author_name if user_id == self.author_id else None


def change_kind(activity: Any) -> str | None:
    """EDITED or DELETED for an edit, undelete or soft delete; None for anything else."""
    event = identities.channel_data(activity).get("eventType")
    if activity.type == ActivityTypes.message_update and event in (None, *EDIT_EVENTS):
        return EDITED  # an undeleted message is back with its text: read like an edit
    if activity.type == ActivityTypes.message_delete and event in (None, *DELETE_EVENTS):
        return DELETED
    return None


def author(activity: Any) -> Identity:
    if activity.from_property is not None:
        return identities.from_activity(activity)
    return Identity(
        platform=identities.PLATFORM,
        user_id="unknown",
        workspace_id=identities.tenant_id(activity),
        channel_id=activity.conversation.id if activity.conversation else None,
    )


def read_message(activity: Any, who: Identity, kind: str, *, now: Any) -> ChatMessage:
    # The SDK removes the bot's own mention from messages only; edits still carry it.
    raw = activity.model_copy().remove_recipient_mention()
    return ChatMessage(
        kind=kind,
        channel_id=identities.whole_channel_id(activity) or activity.conversation.id,
        message_id=activity.id,
        text="" if kind == DELETED else message_text(raw),
        author_id=None if who.user_id == "unknown" else who.user_id,
        posted_at=activity.timestamp or now,
        thread_id=identities.thread_root_id(activity),
        delivery_id=delivery_key(activity),
        # Every message reaching the bot is addressed to it, but one that is no update is
        # answered as a command (by the caller), not with the pilot handler's help.
        addressed=False,
        lookups=TeamsLookups(activity),
    )


async def log_if_update(core: Core, context: TurnContext, who: Identity) -> bool:
    """Log the message when it is a pilot update and answer; False when no handler took it."""
    message = read_message(context.activity, who, POSTED, now=core.clock())
    outcome = await asyncio.to_thread(core.handle_message, who, message)
    if not outcome.taken:
        return False
    await carry_out(context, outcome)
    return True


async def handle_change(core: Core, context: TurnContext) -> None:
    """An edited, undeleted or deleted message: the update logged from it follows."""
    activity = context.activity
    kind = change_kind(activity)
    if kind is None or not activity.id:
        return
    # A retried edit is recognised by the pilot handler, which claims its delivery key in the
    # transaction that changes the update.
    await asyncio.to_thread(record_activity, core.sessions, activity)
    who = author(activity)
    message = read_message(activity, who, kind, now=core.clock())
    outcome = await asyncio.to_thread(core.handle_message, who, message)
    await carry_out(context, outcome)


async def carry_out(context: TurnContext, outcome: MessageOutcome) -> None:
    """One short reply in the conversation (a channel message's thread) saying it all."""
    said: list[Reply] = []
    if outcome.acknowledge:
        said.append(outcome.receipt or _sentence(LOGGED))
    if outcome.withdraw:
        said.append(_sentence(WITHDRAWN))
    if outcome.private is not None:
        said.append(outcome.private)
    if said:
        await send(
            context,
            Reply(
                parts=tuple(part for reply in said for part in reply.parts),
                summary=" ".join(reply.summary for reply in said if reply.summary),
            ),
        )


def _sentence(words: str) -> Reply:
    return Reply(parts=(Paragraph(text(words)),), summary=words)
