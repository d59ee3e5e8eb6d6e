"""Updates written as messages: ``update skills: …`` anywhere, ``update: …`` in a linked channel.

A logged update is acknowledged on the message and nothing else is said in the channel; a
message that tries to be an update but cannot be logged (an unknown pilot, no text) gets a
private note to its author; every other message is ordinary conversation and is left alone.
Edits follow the message, deletions mark the update removed. A redelivered event (same
delivery id) and a message already stored (same channel and id) never act twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from commands.context import Context
from commands.messages import DELETED, EDITED, NOTHING, POSTED, ChatMessage, MessageOutcome
from commands.pilots.log import by_the_author, unassigned_note
from commands.pilots.lookup import not_found_message
from commands.pilots.parse import STATUS_LABELS, UpdateText, looks_like_update, parse_update
from commands.pilots.views import HOW_TO_WRITE, UNASSIGNED
from commands.reply import Bold, Code, Paragraph, Reply, plain, text
from storage.members import get_member
from storage.milestones import find_milestone, list_milestones
from storage.models import PilotAction, PilotMilestone, PilotUpdate
from storage.pilot_channels import linked_pilot
from storage.pilot_updates import add_update, find_update
from storage.pilots import list_pilots, resolve_pilot
from storage.seen_events import SEEN_EVENTS_KEPT, claim_event, prune_seen_events, was_seen

log = logging.getLogger(__name__)

HOW_TO = HOW_TO_WRITE
EXAMPLE = "update skills: Teacher training held in Warsaw, 24 teachers [on track]"
# Platforms redeliver for hours at most (Slack: three retries within minutes, or a day with
# delayed events); remembering delivery ids for three days covers that with room to spare.


def wants(message: ChatMessage) -> bool:
    """Without touching the database: could this message concern pilot updates?"""
    if message.kind in (EDITED, DELETED):
        return True  # only the database knows whether the message was logged
    return message.addressed or looks_like_update(message.text)


def on_message(ctx: Context, message: ChatMessage) -> MessageOutcome | None:
    if message.kind == DELETED:
        return _deleted(ctx, message)
    if message.kind == EDITED:
        return _edited(ctx, message)
    return _posted(ctx, message)


@dataclass(frozen=True)
class _Reading:
    """What a message amounts to: an update for ``pilot``, a failed attempt, or nothing."""

    written: UpdateText | None
    pilot: PilotAction | None = None
    problem: str | None = None  # why it cannot be logged, for its author


def _read(ctx: Context, session: Session, message: ChatMessage) -> _Reading:
    written = parse_update(message.text)
    if written is None:
        return _Reading(None)
    if written.pilot is None:
        # "update:" names no pilot: only a linked channel says which, and only at top level.
        if not message.top_level:
            return _Reading(None)
        pilot = linked_pilot(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            channel_id=message.channel_id,
        )
        if pilot is None:
            return _Reading(None)
    else:
        found = resolve_pilot(session=session, group_id=ctx.group_id, query=written.pilot)
        if found.match is None:
            pilots = list_pilots(session=session, group_id=ctx.group_id)
            return _Reading(written, problem=not_found_message(found, pilots))
        pilot = found.match
    if not written.text:
        return _Reading(written, pilot, problem=f"Say what happened in {pilot.name}.")
    return _Reading(written, pilot)


def _posted(ctx: Context, message: ChatMessage) -> MessageOutcome | None:
    with ctx.sessions() as session:
        reading = _read(ctx, session, message)
        if reading.written is None:
            return _mention_help(ctx, message) if message.addressed else None
        if _already_handled(ctx, session, message):
            return NOTHING  # a retry: spare the platform lookups below
        author_name = _known_name(ctx, session)
    if reading.problem is not None:
        return _tell_author(ctx, message, reading.problem)
    pilot, written = reading.pilot, reading.written
    if pilot is None or written is None:
        return None
    # Ask the platform before writing: a slow answer must not hold a transaction open.
    permalink = message.lookups.permalink(message.channel_id, message.message_id)
    if author_name is None and message.author_id:
        author_name = message.lookups.user_name(message.author_id)
    notes: list[Paragraph] = []
    with ctx.sessions.begin() as session:
        if not _first_delivery(ctx, session, message):
            return NOTHING
        milestone = _milestone(session, ctx, reading, notes)
        receipt = _receipt(ctx.region_name, pilot, written.status, milestone)
        stored = add_update(
            session=session,
            **by_the_author(ctx, author_name),
            pilot_id=pilot.id,
            text=written.text,
            status=written.status,
            milestone_id=milestone.id if milestone else None,
            source="message",
            channel_id=message.channel_id,
            message_id=message.message_id,
            permalink=permalink,
            posted_at=message.posted_at,
            created_at=ctx.now,
        )
    if stored is None:
        return NOTHING  # the same message came in again under another delivery id
    log.info(
        "pilot update %s logged from message %s in %s",
        stored.id,
        message.message_id,
        message.channel_id,
    )
    _forget_old_deliveries(ctx)
    if ctx.region_id is None:
        notes.append(unassigned_note(ctx.identity.user_id, is_you=True))
    return MessageOutcome(
        acknowledge=True, private=_note(notes) if notes else None, receipt=receipt
    )


def _edited(ctx: Context, message: ChatMessage) -> MessageOutcome | None:
    with ctx.sessions() as session:
        stored = _stored(ctx, session, message)
        if stored is None:
            # An edit can turn a message into an update ("updte" -> "update"): log it then.
            return _posted(ctx, replace(message, kind=POSTED))
        reading = _read(ctx, session, message) if stored.source == "message" else None
    if reading is not None and reading.problem is not None:
        return _tell_author(ctx, message, reading.problem + " The update stays as it was.")
    notes: list[Paragraph] = []
    outcome = NOTHING
    with ctx.sessions.begin() as session:
        if not _first_delivery(ctx, session, message):
            return NOTHING
        stored = _stored(ctx, session, message)
        if stored is None:
            return NOTHING
        stored.edited_at = ctx.now
        if reading is None:
            # Logged by the shortcut: the message need not look like an update, and the
            # person chose the pilot; only the words follow the edit.
            stored.text = message.text.strip() or stored.text
        elif reading.written is None:
            # No longer written as an update: it is conversation now, kept for the record.
            if stored.removed_at is None:
                stored.removed_at = ctx.now
                outcome = MessageOutcome(withdraw=True)
        elif reading.pilot is not None:
            milestone = _milestone(session, ctx, reading, notes)
            stored.pilot_id = reading.pilot.id
            stored.text = reading.written.text
            stored.status = reading.written.status
            stored.milestone_id = milestone.id if milestone else None
            if stored.removed_at is not None:
                stored.removed_at = None
                region_name = stored.region.name if stored.region else None
                receipt = _receipt(region_name, reading.pilot, reading.written.status, milestone)
                outcome = MessageOutcome(acknowledge=True, receipt=receipt)
    if notes:
        return replace(outcome, private=_note(notes))
    return outcome


def _deleted(ctx: Context, message: ChatMessage) -> MessageOutcome | None:
    with ctx.sessions.begin() as session:
        stored = _stored(ctx, session, message)
        if stored is None:
            return None
        if stored.removed_at is None:
            # Kept for the audit trail; every listing and export leaves it out.
            stored.removed_at = ctx.now
    return NOTHING


def _stored(ctx: Context, session: Session, message: ChatMessage) -> PilotUpdate | None:
    return find_update(
        session=session,
        group_id=ctx.group_id,
        platform=ctx.identity.platform,
        channel_id=message.channel_id,
        message_id=message.message_id,
    )


def _already_handled(ctx: Context, session: Session, message: ChatMessage) -> bool:
    if message.delivery_id and was_seen(
        session=session, platform=ctx.identity.platform, event_id=message.delivery_id
    ):
        return True
    return _stored(ctx, session, message) is not None


def _first_delivery(ctx: Context, session: Session, message: ChatMessage) -> bool:
    if not message.delivery_id:
        return True
    return claim_event(
        session=session,
        platform=ctx.identity.platform,
        event_id=message.delivery_id,
        now=ctx.now,
    )


def _forget_old_deliveries(ctx: Context) -> None:
    # Its own short transaction, after the update is safely stored.
    with ctx.sessions.begin() as session:
        prune_seen_events(session=session, older_than=ctx.now - SEEN_EVENTS_KEPT)


def _known_name(ctx: Context, session: Session) -> str | None:
    if ctx.identity.user_name:
        return ctx.identity.user_name
    member = get_member(
        session=session,
        group_id=ctx.group_id,
        platform=ctx.identity.platform,
        user_id=ctx.identity.user_id,
    )
    return member.display_name if member is not None else None


def _milestone(
    session: Session, ctx: Context, reading: _Reading, notes: list[Paragraph]
) -> PilotMilestone | None:
    """The milestone the update refers to; an unknown one is noted, the update still logged."""
    number = reading.written.milestone if reading.written else None
    if number is None or reading.pilot is None:
        return None
    found = find_milestone(session=session, pilot_id=reading.pilot.id, number=number)
    if found is None:
        known = list_milestones(session=session, group_id=ctx.group_id, pilot_id=reading.pilot.id)
        listed = ", ".join(m.label for m in known) or "none yet"
        notes.append(
            Paragraph(
                text(
                    f"{reading.pilot.name} has no milestone M{number} (its milestones: {listed}), "
                    "so the update is logged without one."
                )
            )
        )
    return found


def _private_once(
    ctx: Context, message: ChatMessage, *paragraphs: Paragraph, summary: str
) -> MessageOutcome:
    """A note for the author, sent for the first delivery of the event only."""
    with ctx.sessions.begin() as session:
        if not _first_delivery(ctx, session, message):
            return NOTHING
    return MessageOutcome(private=Reply(private=True, parts=paragraphs, summary=summary))


def _tell_author(ctx: Context, message: ChatMessage, problem: str) -> MessageOutcome:
    return _private_once(
        ctx,
        message,
        Paragraph(text("I did not log this as a pilot update. ", problem)),
        Paragraph(text("Write ", Code(HOW_TO), ", for example ", Code(EXAMPLE), ".")),
        summary=f"Not logged: {problem}",
    )


def _mention_help(ctx: Context, message: ChatMessage) -> MessageOutcome:
    """Someone addressed the bot with something that is not an update: say what it does."""
    return _private_once(
        ctx,
        message,
        Paragraph(text("I log pilot progress. Write ", Code(HOW_TO), " in any channel I am in.")),
        Paragraph(
            text(
                "See where the pilots stand with ",
                Code("/pilot status"),
                "; every command: ",
                Code("/chemclust help"),
                ".",
            )
        ),
        summary="How to log pilot progress",
    )


def _receipt(
    region_name: str | None,
    pilot: PilotAction,
    status: str | None,
    milestone: PilotMilestone | None,
) -> Reply:
    """``✅ Logged for Masovia under Skills foresight [on track]``: the ✅ said in words."""
    tags = [f"[{STATUS_LABELS[status]}]"] if status else []
    if milestone is not None:
        tags.append(f"[{milestone.label}]")
    region = region_name or UNASSIGNED
    return Reply(
        parts=(
            Paragraph(
                text(
                    "✅ Logged for ",
                    Bold(region),
                    " under ",
                    Bold(pilot.name),
                    " ".join(["", *tags]),
                )
            ),
        ),
        summary=f"Logged for {region} under {pilot.name}.",
    )


def _note(notes: list[Paragraph]) -> Reply:
    return Reply(private=True, parts=tuple(notes), summary=" ".join(plain(n.text) for n in notes))
