"""``/workshop`` and ``/deadline``: add, list, move, cancel, record deliveries, calendar."""

from __future__ import annotations

from datetime import timedelta

from commands.channels import conversation_here, require_reach
from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.events import views
from commands.events.calendar import (
    ICS_MIME,
    build_calendar,
    event_calendar_path,
    group_calendar,
)
from commands.events.drafts import DEADLINES, WORKSHOPS, Draft, Family, check_draft
from commands.events.grammar import EVENT_NUMBER, parse_ref, split_add, split_ref
from commands.events.leads import format_leads
from commands.events.when import parse_when
from commands.numbers import read_number
from commands.reminders.plan import CHASE_DAYS, notice, plan_reminders
from commands.reply import Attachment, Code, Form, FormField, Paragraph, Reply, When, text
from storage.calendars import feed_token, rotate_feed_token
from storage.events import (
    NewEvent,
    cancel_event,
    create_event,
    find_event,
    get_event,
    list_events,
    missing_regions,
    move_event,
    record_delivery,
)
from storage.models import CANCELLED, KIND_PREFIX, Event, Region
from storage.regions import resolve_region
from storage.reminders import add_reminders, cancel_pending
from storage.text import fold

WORKSHOP_USAGE = (
    '/workshop add "<title>" <when> [at <place>] [pilot <pilot>] [remind <leads>]',
    "/workshop list [past]",
    "/workshop move <id> <when>",
    "/workshop cancel <id>",
    "/workshop calendar [rotate]",
)
DEADLINE_USAGE = (
    '/deadline add "<title>" <when> [for <region>, <region>… | all] [remind <leads>]',
    "/deadline list [past]",
    "/deadline done <id> [<region>]",
    "/deadline move <id> <when>",
    "/deadline cancel <id>",
)
WORKSHOP_SUMMARY = "Workshops, seminars and meetings: add, list, move, cancel; the calendar."
DEADLINE_SUMMARY = "Data deadlines: add, list who delivered, record a delivery, move, cancel."
CALENDAR_PATH = "/calendar/{token}.ics"


def run_workshop(ctx: Context, arguments: str) -> Reply:
    return _run(ctx, WORKSHOPS, arguments, WORKSHOP_USAGE)


def run_deadline(ctx: Context, arguments: str) -> Reply:
    return _run(ctx, DEADLINES, arguments, DEADLINE_USAGE)


def _run(ctx: Context, family: Family, arguments: str, usage: tuple[str, ...]) -> Reply:
    verb, _, rest = arguments.strip().partition(" ")
    rest = rest.strip()
    match fold(verb):
        case "add" | "new":
            return add(ctx, family, rest)
        case "" | "list" | "ls" | "upcoming":
            return list_reply(ctx, family, rest)
        case "move" | "reschedule":
            return move(ctx, family, rest)
        case "cancel" | "delete" | "remove":
            return cancel(ctx, family, rest)
        case "done" | "delivered" if family is DEADLINES:
            return done(ctx, rest)
        case "calendar" | "ical" | "ics":
            return calendar(ctx, rest)
        case "help" | "h":
            return _help(family, usage)
    raise CommandError(f"/{family.command} has no “{verb}”.", usage="\n".join(usage))


def _help(family: Family, usage: tuple[str, ...]) -> Reply:
    lines = [Paragraph(text(Code(line))) for line in usage]
    lines.append(
        Paragraph(
            text(
                "<when>: 15 Dec 17:00, 10/12/2026 14:00 (day first), next Friday 10:00, in 2 "
                "weeks, 2026-12-15T17:00+01:00. Without a zone it is your Slack time zone, "
                "else the group's. <leads>: 7d,1d,1h (m, h, d, w; 0m = at the time itself)."
            )
        )
    )
    return Reply(heading=f"/{family.command}", parts=tuple(lines), private=True)


# Adding ------------------------------------------------------------------------------------


def _require_coordinator(ctx: Context, doing: str) -> None:
    if not ctx.is_coordinator:
        raise NotAllowed(
            f"Only coordinators can {doing}. Ask one of them (see /chemclust who); "
            "you can see what is planned with /workshop list and /deadline list."
        )


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


# Listing -----------------------------------------------------------------------------------


def list_reply(ctx: Context, family: Family, rest: str) -> Reply:
    which = fold(rest)
    if which not in {"", "past", "all", "upcoming"}:
        raise CommandError(
            f"/{family.command} list takes nothing, “past” or “all”.",
            usage=f"/{family.command} list [past]",
        )
    past = which == "past"
    with ctx.sessions() as session:
        if past:
            events = list_events(
                session=session, group_id=ctx.group_id, kinds=family.kinds, until=ctx.now
            )
            events.reverse()  # most recent first
            return views.listing(family, events, now=ctx.now, past=True)
        since = None if which == "all" else ctx.now
        events = list_events(
            session=session, group_id=ctx.group_id, kinds=family.kinds, since=since
        )
        overdue = None
        if family is DEADLINES and which != "all":
            overdue = [
                e
                for e in list_events(
                    session=session,
                    group_id=ctx.group_id,
                    kinds=family.kinds,
                    since=ctx.now - timedelta(days=CHASE_DAYS),
                    until=ctx.now,
                )
                if missing_regions(e)
            ]
        return views.listing(family, events, now=ctx.now, past=False, overdue=overdue)


# Changing ----------------------------------------------------------------------------------


def _find(ctx: Context, family: Family, typed: str, usage: str) -> Event:
    if not typed:
        raise CommandError("Say which one, by its id (see the list).", usage=usage)
    parsed = parse_ref(typed, usage=usage)
    if parsed is None:
        raise CommandError(
            f"“{typed}” is not an event id; ids look like W12 or D7 (see /{family.command} list).",
            usage=usage,
        )
    letter, number = parsed
    with ctx.sessions() as session:
        event = find_event(session=session, group_id=ctx.group_id, number=number)
    if event is None:
        raise CommandError(
            f"There is no event {typed}. See /{family.command} list for the ids.", usage=usage
        )
    if letter is not None and letter != KIND_PREFIX[event.kind]:
        raise CommandError(
            f"{typed} is not an id I know; did you mean {event.ref} ({event.title})?", usage=usage
        )
    if event.kind not in family.kinds:
        other = "deadline" if event.kind == "deadline" else "workshop"
        raise CommandError(
            f"{event.ref} is a {event.kind}; use /{other} for it.",
            usage=usage.replace(f"/{family.command}", f"/{other}"),
        )
    return event


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


# Deliveries --------------------------------------------------------------------------------


def done(ctx: Context, rest: str) -> Reply:
    usage = "/deadline done <id> [<region>]"
    typed_ref, typed_region = split_ref(rest)
    event = _find(ctx, DEADLINES, typed_ref, usage)
    return record_for(ctx, event, typed_region, usage=usage)


def record_for(ctx: Context, event: Event, typed_region: str, *, usage: str) -> Reply:
    if event.status == CANCELLED:
        raise CommandError(f"{event.ref} is cancelled; nothing to deliver.", usage=usage)
    region = _delivering_region(ctx, typed_region, usage)
    if region.id not in {r.id for r in event.regions}:
        raise CommandError(
            f"{region.name} is not asked to deliver for {event.ref} "
            f"(for: {', '.join(r.name for r in event.regions)}).",
            usage=usage,
        )
    with ctx.sessions.begin() as session:
        delivery, new = record_delivery(
            session=session,
            event_id=event.id,
            region_id=region.id,
            recorded_by_id=ctx.member_id,
            delivered_at=ctx.now,
        )
        recorded_at = delivery.delivered_at
    if not new:
        return Reply(
            parts=(
                Paragraph(
                    text(
                        f"{region.name}'s delivery for {event.ref} was already recorded ",
                        When(recorded_at, ctx.timezone),
                        ".",
                    )
                ),
            ),
            private=True,
        )
    with ctx.sessions() as session:
        refreshed = get_event(session=session, event_id=event.id)
    assert refreshed is not None  # noqa: S101
    return views.delivered(refreshed, region.name)


def _delivering_region(ctx: Context, typed: str, usage: str) -> Region:
    if not typed:
        if ctx.region_id is None:
            raise CommandError(
                "You have not said which region you represent: /chemclust join <region>"
                + (", or name the region after the id." if ctx.is_coordinator else "."),
                usage=usage,
            )
        with ctx.sessions() as session:
            region = session.get(Region, ctx.region_id)
        assert region is not None  # noqa: S101
        return region
    with ctx.sessions() as session:
        found = resolve_region(session=session, group_id=ctx.group_id, query=typed)
    if found.match is None:
        names = ", ".join(r.name for r in found.candidates)
        closest = f" Closest: {names}." if names else ""
        raise CommandError(f"I don't know a partner region called “{typed}”.{closest}", usage=usage)
    if found.match.id != ctx.region_id and not ctx.is_coordinator:
        raise NotAllowed(
            f"You represent {ctx.region_name or 'no region yet'}; only a coordinator can record "
            f"a delivery for {found.match.name}."
        )
    return found.match


def delivered_button(ctx: Context, value: str) -> Reply:
    """ "Mark delivered" on a reminder: the clicker's own region."""
    event = _event_by_id(ctx, value)
    return record_for(ctx, event, "", usage=f"/deadline done {event.ref} [<region>]")


def _event_by_id(ctx: Context, value: str) -> Event:
    event_id = read_number(EVENT_NUMBER, value)  # a button's value comes back from the client
    with ctx.sessions() as session:
        event = get_event(session=session, event_id=event_id)
    if event is None or event.group_id != ctx.group_id:
        raise CommandError("That event no longer exists.")
    return event


# Calendar ----------------------------------------------------------------------------------


def calendar(ctx: Context, rest: str) -> Reply:
    usage = "/workshop calendar [rotate]"
    which = fold(rest)
    if which not in {"", "rotate"}:
        raise CommandError("/workshop calendar takes nothing or “rotate”.", usage=usage)
    if which == "rotate":
        _require_coordinator(ctx, "replace the calendar address")
        with ctx.sessions.begin() as session:
            token = rotate_feed_token(session=session, group_id=ctx.group_id, now=ctx.now)
        return views.calendar_link(
            _feed_url(ctx, token), CALENDAR_PATH.format(token=token), rotated=True
        )
    with ctx.sessions.begin() as session:
        token = feed_token(session=session, group_id=ctx.group_id)
    content = group_calendar(ctx.sessions, group_id=ctx.group_id, now=ctx.now)
    reply = views.calendar_link(_feed_url(ctx, token), CALENDAR_PATH.format(token=token))
    return Reply(
        heading=reply.heading,
        parts=reply.parts,
        private=True,
        summary=reply.summary,
        files=(Attachment("chemclust.ics", content, ICS_MIME, "ChemClust calendar"),),
    )


def _feed_url(ctx: Context, token: str) -> str | None:
    if not ctx.public_url:
        return None
    return ctx.public_url.rstrip("/") + CALENDAR_PATH.format(token=token)


def calendar_button(ctx: Context, value: str) -> Reply:
    """ "Add to calendar": this one event as a file, and the address of the whole feed.

    Where the platform cannot take files from the bot, the event's file is a link instead.
    """
    event = _event_by_id(ctx, value)
    if not ctx.surface.files:
        path = event_calendar_path(ctx.sessions, event)
        url = ctx.public_url.rstrip("/") + path if ctx.public_url else None
        return views.event_calendar_link(event, url, path)
    content = build_calendar(
        [event], name=f"{event.title} ({event.ref})", timezone=event.timezone, now=ctx.now
    )
    with ctx.sessions.begin() as session:
        token = feed_token(session=session, group_id=ctx.group_id)
    url = _feed_url(ctx, token)
    parts: list = [
        Paragraph(text("Open the attached file to add ", event.title, " to your calendar."))
    ]
    if url:
        parts.append(Paragraph(text("Or subscribe to every event of the group: ", Code(url))))
    return Reply(
        parts=tuple(parts),
        private=True,
        files=(Attachment(f"{event.ref}.ics", content, ICS_MIME, event.title),),
        summary=f"{event.title} as a calendar file.",
    )
