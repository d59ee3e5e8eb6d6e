"""Consultations: opened until a time, the regions that have not endorsed reminded once, the
close announced with who endorsed, then adoption by a coordinator.

Reminders are rows of the reminder table like any other (``payload["recommendation_id"]``
says what they are about), so they are sent once, retried, and sent late after a restart
by the one dispatcher; it asks ``consultation_message`` what to say when one falls due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.channels import conversation_here, require_reach
from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.events.when import parse_when
from commands.recommendations.lookup import recommendation_or_error, split_ref
from commands.recommendations.views import endorsers, record
from commands.reminders.messages import late_note
from commands.reply import Bold, Code, Paragraph, Reply, When, text
from storage.events import members_of_regions
from storage.models import (
    ADOPTED,
    CONSULTATION,
    Recommendation,
    Reminder,
    WorkingGroup,
)
from storage.recommendations import adopt, get_recommendation, open_consultation
from storage.regions import list_regions
from storage.reminders import add_reminders

CONSULT_USAGE = (
    "/recommendation consult <id> until <when>\ne.g. /recommendation consult R3 until 15 Jan 17:00"
)
ADOPT_USAGE = "/recommendation adopt <id>"
# Regions are reminded a day before the close, or halfway through a shorter consultation.
REMIND_BEFORE = timedelta(days=1)


def reminder_due(now: datetime, closes_at: datetime) -> datetime:
    return max(now + (closes_at - now) / 2, closes_at - REMIND_BEFORE)


def consult(ctx: Context, arguments: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can open a consultation.")
    ref, rest = split_ref(arguments, usage=CONSULT_USAGE)
    keyword, _, when = rest.partition(" ")
    if keyword.lower() != "until" or not when.strip():
        raise CommandError(
            "Say until when the consultation runs, after “until”.", usage=CONSULT_USAGE
        )
    closes = parse_when(when, now=ctx.now, timezone=ctx.timezone, needs_time=False)
    conversation = conversation_here(ctx)
    require_reach(ctx, ctx.identity.channel_id, posting="the consultation's close")
    with ctx.sessions.begin() as session:
        recommendation = recommendation_or_error(ctx, ref, session=session, usage=CONSULT_USAGE)
        _refuse_unless_draft(recommendation, ctx.now)
        open_consultation(
            session=session,
            recommendation=recommendation,
            closes_at=closes.at,
            platform=ctx.identity.platform if conversation else None,
            conversation=conversation,
        )
        reminded = _schedule(session, recommendation, now=ctx.now)
        waiting = len(list_regions(session=session, group_id=ctx.group_id)) - len(
            recommendation.endorsements
        )
        ref, title = recommendation.ref, recommendation.title
    return Reply(
        heading=f"Consultation on {ref}: {title}",
        parts=(
            Paragraph(
                text(
                    "Open until ",
                    When(closes.at, closes.timezone),
                    f". Endorsed so far by: {endorsers(recommendation)}. The {waiting} regions "
                    f"that have not endorsed are reminded once before the close "
                    f"({reminded} people); endorsing stops a region's reminder.",
                )
            ),
            Paragraph(
                text(
                    "Read it: ",
                    Code(f"/recommendation show {ref}"),
                    "; endorse it: ",
                    Code(f"/recommendation endorse {ref}"),
                    ".",
                )
            ),
        ),
        summary=f"Consultation on {ref} {title} opened.",
    )


def _refuse_unless_draft(recommendation: Recommendation, now: datetime) -> None:
    ref = recommendation.ref
    if recommendation.status == ADOPTED:
        raise CommandError(f"{ref} is adopted already; there is nothing to consult on.")
    if recommendation.closed(now):
        raise CommandError(
            f"The consultation on {ref} has closed; adopt it with /recommendation adopt {ref}."
        )
    if recommendation.status == CONSULTATION:
        closes = recommendation.closes_at.strftime("%d %b %Y, %H:%M UTC")
        raise CommandError(f"{ref} is in consultation already, until {closes}.")


def _schedule(session: Session, recommendation: Recommendation, *, now: datetime) -> int:
    """The close announcement and one reminder per member of each region not endorsing yet;
    returns how many people will be reminded."""
    closes_at = recommendation.closes_at
    payload = {"recommendation_id": recommendation.id, "closes_at": closes_at.isoformat()}
    endorsed = {e.region_id for e in recommendation.endorsements}
    waiting = [r.id for r in list_regions(session=session, group_id=recommendation.group_id)]
    members = members_of_regions(
        session=session,
        group_id=recommendation.group_id,
        region_ids=[r for r in waiting if r not in endorsed],
    )
    due = reminder_due(now, closes_at)
    rows = [
        _row(
            recommendation,
            kind="direct",
            due=due,
            platform=member.platform,
            target={"user": member.platform_user_id},
            payload={**payload, "region_id": member.region_id},
        )
        for member in members
    ]
    if recommendation.platform and recommendation.conversation:
        rows.append(
            _row(
                recommendation,
                kind="notice",
                due=closes_at,
                platform=recommendation.platform,
                target=dict(recommendation.conversation),
                payload={**payload, "announce": "closed"},
            )
        )
    add_reminders(session=session, reminders=rows)
    return len(members)


def _row(
    recommendation: Recommendation,
    *,
    kind: str,
    due: datetime,
    platform: str,
    target: dict,
    payload: dict,
) -> Reminder:
    return Reminder(
        group_id=recommendation.group_id,
        kind=kind,
        due_at=due,
        not_before=due,
        platform=platform,
        target=target,
        payload=payload,
        status="pending",
        attempts=0,
        late=False,
    )


# When a reminder falls due --------------------------------------------------------------------


def consultation_message(
    session: Session, reminder: Reminder, *, now: datetime, late: bool
) -> tuple[Reply | None, str | None]:
    """What a consultation's reminder row says now, or why it is skipped: (reply, skip)."""
    payload = reminder.payload or {}
    recommendation = session.get(Recommendation, payload.get("recommendation_id"))
    if recommendation is None:
        return None, "its recommendation no longer exists"
    closes_at = recommendation.closes_at
    if closes_at is None or _moment(payload.get("closes_at")) != closes_at:
        return None, "the consultation was changed"
    timezone = session.get(WorkingGroup, recommendation.group_id).timezone
    note = late_note(reminder, timezone) if late else None
    if payload.get("announce") == "closed":
        return _closed(recommendation, timezone, note), None
    if payload.get("region_id") in {e.region_id for e in recommendation.endorsements}:
        return None, "the region has endorsed"
    if now >= closes_at:
        return None, "the consultation had closed when it could be sent"
    return _reminder(recommendation, timezone, note), None


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _reminder(recommendation: Recommendation, timezone: str, note) -> Reply:
    ref = recommendation.ref
    return Reply(
        heading=f"Your region has not endorsed {ref} yet",
        parts=(
            Paragraph(
                text(
                    "The consultation on ",
                    Bold(f"{ref} {recommendation.title}"),
                    " closes ",
                    When(recommendation.closes_at, timezone),
                    ".",
                )
            ),
            Paragraph(
                text(
                    "Read it with ",
                    Code(f"/recommendation show {ref}"),
                    "; endorse it for your region with ",
                    Code(f"/recommendation endorse {ref}"),
                    " or comment with ",
                    Code(f"/recommendation comment {ref} <text>"),
                    ". This is the only reminder.",
                )
            ),
        ),
        footnote=note,
        summary=f"The consultation on {ref} {recommendation.title} closes soon.",
    )


def _closed(recommendation: Recommendation, timezone: str, note) -> Reply:
    ref = recommendation.ref
    return Reply(
        heading=f"Consultation closed: {ref} {recommendation.title}",
        parts=(
            Paragraph(
                text(
                    "The consultation closed ",
                    When(recommendation.closes_at, timezone),
                    ". ",
                    Bold("Endorsed by: "),
                    endorsers(recommendation),
                    ".",
                )
            ),
            Paragraph(
                text("A coordinator can now adopt it: ", Code(f"/recommendation adopt {ref}"))
            ),
        ),
        footnote=note,
        summary=f"Consultation on {ref} closed; endorsed by {endorsers(recommendation)}.",
    )


# Adoption -----------------------------------------------------------------------------------


def adopt_command(ctx: Context, arguments: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can adopt a recommendation.")
    ref, rest = split_ref(arguments, usage=ADOPT_USAGE)
    if rest:
        raise CommandError(f"Only the id comes after adopt, not “{rest}”.", usage=ADOPT_USAGE)
    with ctx.sessions.begin() as session:
        recommendation = recommendation_or_error(ctx, ref, session=session, usage=ADOPT_USAGE)
        shown = recommendation.ref
        if recommendation.status == ADOPTED:
            raise CommandError(f"{shown} is adopted already.")
        if not recommendation.closed(ctx.now):
            how = (
                f"its consultation runs until {recommendation.closes_at:%d %b %Y, %H:%M UTC}"
                if recommendation.status == CONSULTATION
                else f"open one first: /recommendation consult {shown} until <when>"
            )
            raise CommandError(f"{shown} can be adopted once its consultation has closed; {how}.")
        adopt(
            session=session, recommendation=recommendation, adopted_by_id=ctx.member_id, now=ctx.now
        )
        adopted = get_recommendation(
            session=session, group_id=ctx.group_id, number=recommendation.id
        )
        return record(
            adopted,
            [],
            now=ctx.now,
            timezone=ctx.group_timezone,
            heading=f"Adopted: {shown} {adopted.title}",
            private=False,
        )
