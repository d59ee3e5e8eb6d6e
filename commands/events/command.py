"""``/workshop`` and ``/deadline``: add, list, move, cancel, record deliveries, calendar."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.events import views
from commands.events.calendar import ICS_MIME, build_calendar, event_calendar_path
from commands.events.calendar_links import _feed_url, calendar
from commands.events.checks import _event_by_id
from commands.events.deliveries import done, record_for
from commands.events.drafts import DEADLINES, WORKSHOPS, Family
from commands.events.listing import list_reply
from commands.events.planning import add, cancel, move
from commands.reply import Attachment, Code, Paragraph, Reply, text
from storage.calendars import feed_token
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


# Buttons on reminders ---------------------------------------------------------------------


def delivered_button(ctx: Context, value: str) -> Reply:
    """ "Mark delivered" on a reminder: the clicker's own region."""
    event = _event_by_id(ctx, value)
    return record_for(ctx, event, "", usage=f"/deadline done {event.ref} [<region>]")


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
