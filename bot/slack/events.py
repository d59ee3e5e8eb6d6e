"""Slack message events, mentions and message shortcuts -> the neutral message entry point.

Bolt acknowledges events before these listeners run, so Slack's 3-second deadline is met
whatever they do; Slack still redelivers now and then (``x-slack-retry-num``), and every
delivery carries the same ``event_id``, which the command layer claims once in the database.
Here we only translate: which events are people's messages, their text as a reader sees it,
and what to do with the outcome (a ✅ reaction, a note only the author sees). Text written to
the bot (a direct message, a mention) that no handler takes runs as a command line
(``bot.slack.conversation``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import identity as identities
from bot.slack import render
from bot.slack.conversation import answer, is_direct_message
from bot.slack.delivery import post
from bot.slack.message_text import plain_text, without_leading_mention
from bot.slack.modals import SHORTCUT_AGAIN, open_modal, too_late
from commands.context import Identity
from commands.core import Core
from commands.messages import DELETED, EDITED, POSTED, ChatMessage, MessageOutcome

log = logging.getLogger(__name__)

ACKNOWLEDGED = "white_check_mark"  # ✅
# Subtypes of messages that people write; the rest (joins, topics, bots, pins…) are not.
PEOPLES_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}
# How long a listener waits for Slack to answer a lookup before going on without it.
LOOKUP_SECONDS = 5.0
# A shortcut's trigger_id expires 3 s after the click: its lookup must leave time to open.
SHORTCUT_LOOKUP_SECONDS = 1.5


class SlackLookups:
    """Answers the command layer's questions (permalink, a name) from its worker thread."""

    def __init__(
        self,
        client: AsyncWebClient,
        loop: asyncio.AbstractEventLoop,
        *,
        seconds: float = LOOKUP_SECONDS,
    ):
        self.client = client
        self.loop = loop
        self.seconds = seconds

    def _ask(self, call: Any) -> Any:
        future = asyncio.run_coroutine_threadsafe(call, self.loop)
        try:
            return future.result(timeout=self.seconds)
        except Exception as error:
            future.cancel()
            log.warning("Slack lookup failed: %s", error)
            return None

    def permalink(self, channel_id: str, message_id: str) -> str | None:
        answer = self._ask(self.client.chat_getPermalink(channel=channel_id, message_ts=message_id))
        return answer.get("permalink") if answer else None

    def user_name(self, user_id: str) -> str | None:
        answer = self._ask(self.client.users_info(user=user_id))
        if not answer:
            return None
        user = answer.get("user") or {}
        profile = user.get("profile") or {}
        return profile.get("display_name") or user.get("real_name") or user.get("name") or None


def _when(ts: str) -> datetime:
    return datetime.fromtimestamp(float(ts), UTC)


def _is_by_a_bot(message: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or not message.get("user")
        or message.get("user") == bot_user_id
    )


def read_event(
    body: dict[str, Any], bot_user_id: str | None, lookups: Any
) -> tuple[Identity, ChatMessage] | None:
    """A message event as (author, message); None for what people did not write."""
    event = body.get("event") or {}
    subtype = event.get("subtype")
    channel = event.get("channel", "")
    common = {"channel_id": channel, "delivery_id": body.get("event_id"), "lookups": lookups}
    if subtype in PEOPLES_SUBTYPES:
        if _is_by_a_bot(event, bot_user_id):
            return None
        kind, message, ts = POSTED, event, event["ts"]
    elif subtype == "message_changed":
        message = event.get("message") or {}
        before = event.get("previous_message") or {}
        if _is_by_a_bot(message, bot_user_id):
            return None
        if message.get("subtype") == "tombstone":
            kind = DELETED  # a thread's first message deleted while its replies stay
        elif message.get("text") == before.get("text"):
            return None  # unfurls, reply counts: Slack changed the message, nobody edited it
        else:
            kind = EDITED
        ts = message["ts"]
    elif subtype == "message_deleted":
        message = event.get("previous_message") or {}
        kind, ts = DELETED, event["deleted_ts"]
    else:
        return None
    text = plain_text(without_leading_mention(message.get("text", ""), bot_user_id))
    author = message.get("user")
    team = identities.author_team(body, message, event)
    identity = Identity(
        platform=identities.PLATFORM,
        user_id=author or "unknown",
        workspace_id=team,
        channel_id=channel,
        organisation_id=identities.organisation(body, team),
    )
    chat = ChatMessage(
        kind=kind,
        message_id=ts,
        text=text,
        author_id=author,
        posted_at=_when(ts),
        thread_id=message.get("thread_ts"),
        **common,
    )
    return identity, chat


async def carry_out(
    client: AsyncWebClient, identity: Identity, message: ChatMessage, outcome: MessageOutcome
) -> None:
    """Each effect on its own: a refused reaction must not swallow the note to the author."""
    if outcome.acknowledge:
        await react(client, message.channel_id, message.message_id)
    if outcome.withdraw:
        await _attempt(
            "remove the ✅",
            client.reactions_remove(
                channel=message.channel_id, timestamp=message.message_id, name=ACKNOWLEDGED
            ),
            harmless="no_reaction",
        )
    if outcome.private is not None:
        extra = {"thread_ts": message.thread_id} if message.thread_id else {}
        await _attempt(
            "send a private note",
            client.chat_postEphemeral(
                channel=message.channel_id,
                user=identity.user_id,
                **extra,
                **render.message(outcome.private),
            ),
        )


async def react(client: AsyncWebClient, channel_id: str, ts: str) -> None:
    await _attempt(
        "add the ✅",
        client.reactions_add(channel=channel_id, timestamp=ts, name=ACKNOWLEDGED),
        harmless="already_reacted",
    )


async def _attempt(what: str, call: Any, *, harmless: str = "") -> None:
    try:
        await call
    except SlackApiError as error:
        if error.response.get("error") != harmless:
            log.warning("could not %s: %s", what, error.response.get("error"), exc_info=True)


def register(app: AsyncApp, core: Core, *, zones: identities.ZoneCache | None = None) -> None:
    async def on_message(
        body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        lookups = SlackLookups(client, asyncio.get_running_loop())
        read = read_event(body, context.bot_user_id, lookups)
        if read is None:
            return
        identity, message = read
        outcome = await asyncio.to_thread(core.handle_message, identity, message)
        await carry_out(client, identity, message, outcome)
        if not outcome.taken and message.kind == POSTED and is_direct_message(body["event"]):
            # Written to the bot in its Messages tab and no update: a command line.
            await answer(core, client, body, identity, bot_user_id=context.bot_user_id, zones=zones)

    async def on_mention(
        body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        # A mention in a channel the bot is in also arrives as a message event, which the
        # overheard-message handlers get; here the bot only answers what none of them takes.
        event = body.get("event") or {}
        text = plain_text(without_leading_mention(event.get("text", ""), context.bot_user_id))
        if _is_by_a_bot(event, context.bot_user_id) or is_direct_message(event):
            return  # a mention in a direct message is answered as that message
        team = identities.author_team(body, event)
        identity = Identity(
            platform=identities.PLATFORM,
            user_id=event["user"],
            workspace_id=team,
            channel_id=event.get("channel"),
            organisation_id=identities.organisation(body, team),
        )
        message = ChatMessage(
            kind=POSTED,
            channel_id=event.get("channel", ""),
            message_id=event["ts"],
            text=text,
            author_id=event["user"],
            posted_at=_when(event["ts"]),
            thread_id=event.get("thread_ts"),
            delivery_id=body.get("event_id"),
            addressed=True,
        )
        if core.overhears(message):
            return
        await answer(core, client, body, identity, bot_user_id=context.bot_user_id, zones=zones)

    async def on_shortcut(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        who = identities.from_interaction(body)
        found = body.get("message") or {}
        message = ChatMessage(
            kind=POSTED,
            channel_id=who.channel_id or "",
            message_id=found["ts"],
            text=plain_text(found.get("text", "")),
            author_id=None if _is_by_a_bot(found, None) else found.get("user"),
            posted_at=_when(found["ts"]),
            thread_id=found.get("thread_ts"),
            lookups=SlackLookups(
                client, asyncio.get_running_loop(), seconds=SHORTCUT_LOOKUP_SECONDS
            ),
        )
        reply = await asyncio.to_thread(
            core.run_message_shortcut, who, body["callback_id"], message
        )
        if reply.form is None:
            await post(client, who, reply)
            return
        metadata = {"channel": message.channel_id, "message": found["ts"]}
        if not await open_modal(client, body["trigger_id"], reply.form, metadata):
            await post(client, who, too_late(SHORTCUT_AGAIN))

    app.event("message")(on_message)
    app.event("app_mention")(on_mention)
    for shortcut_id in core.registry.message_shortcuts:
        app.shortcut(shortcut_id)(on_shortcut)
