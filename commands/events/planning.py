"""Coordinators plan events: add (by text or form), move and cancel, with their reminders."""

from __future__ import annotations

from commands.channels import conversation_here, require_reach
from commands.context import Context
from commands.errors import CommandError
from commands.events import views
from commands.events.checks import _find, _require_coordinator
from commands.events.drafts import WORKSHOPS, Draft, Family, check_draft
from commands.events.grammar import split_add, split_ref
from commands.events.leads import format_leads
from commands.events.when import parse_when
from commands.reminders.plan import notice, plan_reminders
from commands.reply import Form, FormField, Reply
from storage.events import NewEvent, cancel_event, create_event, get_event, move_event
from storage.models import CANCELLED, Region
from storage.reminders import add_reminders, cancel_pending


def add(ctx: Context, family: Family, rest: str) -> Reply:
    _require_coordinator(ctx, f"add {family.noun}s")
    if not rest:
        if ctx.can_open_forms:
            return Reply(form=add_form(family))
        raise CommandError("Say what to add and when.", usage=family.add_usage)
    request = split_add(rest, kinds=family.kinds, keywords=family.keywords, usage=family.add_usage)
    values = {
        "kind": request.kind,
        "title": request.title,
        "when": request.when,
        "remind": request.clauses.get("remind", ""),
        "place": request.clauses.get("at", ""),
        "pilot": request.clauses.get("pilot", ""),
        "regions": request.clauses.get("for", ""),
    }
    return create_from_draft(ctx, check_draft(ctx, family, values))


def create_from_draft(ctx: Context, draft: Draft) -> Reply:
    conversation = conversation_here(ctx)
    require_reach(ctx, ctx.identity.channel_id, posting=f"the {draft.kind}'s reminders")
    with ctx.sessions.begin() as session:
        event = create_event(
            session=session,
            group_id=ctx.group_id,
            new=NewEvent(
                kind=draft.kind,
                title=draft.title,
                starts_at=draft.starts_at,
                timezone=draft.timezone,
                lead_minutes=draft.lead_minutes,
                place=draft.place,
                pilot_id=draft.pilot.id if draft.pilot else None,
                regions=[session.get(Region, r.id) for r in draft.regions],
                platform=ctx.identity.platform if conversation else None,
                conversation=conversation,
                created_by_id=ctx.member_id,
            ),
        )
        plan = plan_reminders(event, now=ctx.now)
        add_reminders(session=session, reminders=plan.reminders)
        event = get_event(session=session, event_id=event.id)
        assert event is not None  # noqa: S101 - just created in this transaction
        return views.created(event, too_late=plan.too_late, assumed_end_of_day=not draft.has_time)


def add_form(family: Family) -> Form:
    fields = [
        FormField("title", "Title", max_length=200, placeholder="Open innovation workshop"),
        FormField(
            "when",
            "When",
            placeholder="15 Dec 10:00" if family is WORKSHOPS else "15 Dec 17:00",
            hint="15 Dec 17:00, 10/12/2026 14:00 (day first), next Friday 10:00, in 2 weeks. "
            "Your own time zone unless you give one.",
        ),
    ]
    if family is WORKSHOPS:
        fields += [
            FormField(
                "kind",
                "Kind",
                kind="select",
                options=(("workshop", "Workshop"), ("seminar", "Seminar"), ("meeting", "Meeting")),
                initial="workshop",
            ),
            FormField("place", "Place or call link", required=False, max_length=300),
            FormField("pilot", "Pilot action", required=False, placeholder="open innovation"),
        ]
    else:
        fields.append(
            FormField(
                "regions",
                "Regions that must deliver",
                required=False,
                placeholder="all",
                hint="Comma-separated, e.g. Limburg, NRW, Asturias; empty or all = every region.",
            )
        )
    fields.append(
        FormField(
            "remind",
            "Reminders before",
            required=False,
            initial=format_leads(family.default_leads),
            hint="Comma list of 30m, 2h, 1d, 1w; 0m = at the time itself.",
        )
    )
    return Form(
        form_id=family.form_id,
        title=f"New {family.noun}",
        fields=tuple(fields),
        submit_label="Add",
    )


def move(ctx: Context, family: Family, rest: str) -> Reply:
    usage = f"/{family.command} move <id> <when>"
    _require_coordinator(ctx, f"move {family.noun}s")
    typed_ref, typed_when = split_ref(rest)
    event = _find(ctx, family, typed_ref, usage)
    if event.status == CANCELLED:
        raise CommandError(f"{event.ref} is cancelled; add it again instead.", usage=usage)
    if not typed_when:
        raise CommandError(f"Say when {event.ref} is now.", usage=usage)
    moment = parse_when(
        typed_when, now=ctx.now, timezone=ctx.timezone, needs_time=event.kind != "deadline"
    )
    previous = event.starts_at
    with ctx.sessions.begin() as session:
        event = get_event(session=session, event_id=event.id)
        move_event(session=session, event=event, starts_at=moment.at, timezone=moment.timezone)
        cancel_pending(session=session, event_id=event.id, kinds=("lead", "chase", "direct"))
        plan = plan_reminders(event, now=ctx.now)
        add_reminders(session=session, reminders=plan.reminders)
        announcement = notice(
            event, now=ctx.now, payload={"notice": "moved", "previous": previous.isoformat()}
        )
        if announcement is not None:
            add_reminders(session=session, reminders=[announcement])
        event = get_event(session=session, event_id=event.id)
        assert event is not None  # noqa: S101
        return views.moved(
            event, previous, too_late=plan.too_late, announced=announcement is not None
        )


def cancel(ctx: Context, family: Family, rest: str) -> Reply:
    usage = f"/{family.command} cancel <id>"
    _require_coordinator(ctx, f"cancel {family.noun}s")
    typed_ref, extra = split_ref(rest)
    if extra:
        raise CommandError(f"Cancel one at a time; I don't understand “{extra}”.", usage=usage)
    event = _find(ctx, family, typed_ref, usage)
    if event.status == CANCELLED:
        raise CommandError(f"{event.ref} is already cancelled.", usage=usage)
    if event.starts_at <= ctx.now and event.kind != "deadline":
        raise CommandError(f"{event.ref} has already taken place.", usage=usage)
    with ctx.sessions.begin() as session:
        event = get_event(session=session, event_id=event.id)
        cancel_event(session=session, event=event)
        withdrawn = cancel_pending(
            session=session, event_id=event.id, kinds=("lead", "chase", "direct")
        )
        # An unsent "moved" notice would only confuse next to the cancellation.
        cancel_pending(session=session, event_id=event.id, kinds=("notice",))
        announcement = notice(event, now=ctx.now, payload={"notice": "cancelled"})
        if announcement is not None:
            add_reminders(session=session, reminders=[announcement])
        return views.cancelled(event, withdrawn=withdrawn, announced=announcement is not None)
