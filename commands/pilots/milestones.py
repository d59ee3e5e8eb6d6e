"""``/pilot milestone …``: a pilot's milestones, numbered M1, M2, … with due dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.numbers import refuse_foreign_digits
from commands.pilots.lookup import milestone_or_error, pilot_or_error, spellings
from commands.pilots.parse import parse_milestone_ref, split_pilot
from commands.pilots.views import counted
from commands.reply import Bold, Code, Column, Paragraph, Reply, Table, text
from storage.milestones import add_milestone, list_milestones
from storage.models import PilotMilestone
from storage.pilots import list_pilots
from storage.text import fold

ADD_USAGE = '/pilot milestone add <pilot> "<title>" due <date>'
DONE_USAGE = "/pilot milestone done <pilot> <M-number>"
REOPEN_USAGE = "/pilot milestone reopen <pilot> <M-number>"
LIST_USAGE = "/pilot milestones [<pilot>]"
USAGE = (ADD_USAGE, DONE_USAGE, REOPEN_USAGE, LIST_USAGE)
MAX_TITLE = 200
# A due date this far off is a typo, not a plan.
MAX_YEARS_AHEAD = 20

# Double quotes only: apostrophes belong in titles ("Teachers' guide").
_QUOTED = re.compile(r'^(?P<pilot>.*?)\s*["“”„«](?P<title>[^"“”„»]+)["“”»]\s*$')
_DUE = re.compile(r"^(?P<before>.*?)\s*\bdue\b\s*(?:on\s+|by\s+)?(?P<when>.*)$", re.I | re.S)
_END_OF = re.compile(r"^\s*(?:the\s+)?end\s+of\s+", re.IGNORECASE)


def run(ctx: Context, arguments: str) -> Reply:
    verb, _, rest = " ".join(arguments.split()).partition(" ")
    match fold(verb):
        case "add" | "new":
            return add(ctx, rest)
        case "done" | "complete" | "finished":
            return mark(ctx, rest, done=True, usage=DONE_USAGE)
        case "reopen" | "undo" | "undone":
            return mark(ctx, rest, done=False, usage=REOPEN_USAGE)
        case "" | "list" | "ls":
            return listing(ctx, rest)
    raise CommandError(f"/pilot milestone has no “{verb}”.", usage="\n".join(USAGE))


def parse_due(when: str, *, now: datetime, timezone: str) -> date | None:
    """A due day as people write it: ``15 Dec 2026``, ``2026-12-15``, ``next friday``,
    ``March 2027`` (its last day), ``end of March``. Day before month, as in Europe."""
    import dateparser

    base = now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    parsed = dateparser.parse(
        _END_OF.sub("", when.strip()),
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "last",
        },
    )
    return parsed.date() if parsed is not None else None


def add(ctx: Context, arguments: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can add milestones.")
    due = _DUE.match(arguments)
    if due is None or not due.group("when").strip():
        raise CommandError("Say when the milestone is due, after “due”.", usage=ADD_USAGE)
    before, when = due.group("before").strip(), due.group("when").strip()
    with ctx.sessions.begin() as session:
        pilots = list_pilots(session=session, group_id=ctx.group_id)
        quoted = _QUOTED.match(before)
        if quoted:
            pilot_query, title = quoted.group("pilot"), quoted.group("title").strip()
        else:
            pilot_query, title = split_pilot(before, spellings(pilots))
        if not pilot_query:
            raise CommandError("Say which pilot the milestone belongs to.", usage=ADD_USAGE)
        pilot = pilot_or_error(
            session=session, group_id=ctx.group_id, query=pilot_query, usage=ADD_USAGE
        )
        if not title:
            raise CommandError("Give the milestone a title, in quotes.", usage=ADD_USAGE)
        if len(title) > MAX_TITLE:
            raise CommandError(
                f"Keep the title under {MAX_TITLE} characters ({len(title)} now).",
                usage=ADD_USAGE,
            )
        refuse_foreign_digits(when, what="the date", example="15 Dec 2026", usage=ADD_USAGE)
        due_on = parse_due(when, now=ctx.now, timezone=ctx.timezone)
        if due_on is None:
            raise CommandError(
                f"I cannot read “{when}” as a date. Write it like 15 Dec 2026, 2026-12-15 "
                "or next Friday.",
                usage=ADD_USAGE,
            )
        today = _today(ctx)
        if due_on.year > today.year + MAX_YEARS_AHEAD:
            raise CommandError(f"{due_on:%d %b %Y} is too far ahead.", usage=ADD_USAGE)
        existing = list_milestones(session=session, group_id=ctx.group_id, pilot_id=pilot.id)
        twin = next((m for m in existing if fold(m.title) == fold(title)), None)
        if twin is not None:
            raise CommandError(
                f"{pilot.name} already has {twin.label} “{twin.title}”, due "
                f"{twin.due_on:%d %b %Y}.",
                usage=ADD_USAGE,
            )
        milestone = add_milestone(
            session=session,
            group_id=ctx.group_id,
            pilot_id=pilot.id,
            title=title,
            due_on=due_on,
            created_by=ctx.identity.user_id,
            now=ctx.now,
        )
        label, pilot_name = milestone.label, pilot.name
    past = " It is already past that day." if due_on < today else ""
    return Reply(
        parts=(
            Paragraph(
                text(
                    "Added ",
                    Bold(f"{label} {title}"),
                    f" to {pilot_name}, due {due_on:%a %d %b %Y}.{past}",
                )
            ),
        ),
        summary=f"Milestone {label} added to {pilot_name}.",
    )


def mark(ctx: Context, arguments: str, *, done: bool, usage: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can change milestones.")
    pilot_query, _, reference = arguments.strip().rpartition(" ")
    number = parse_milestone_ref(reference, usage=usage)
    if not pilot_query or number is None:
        raise CommandError("Say which pilot and which milestone (M1, M2, …).", usage=usage)
    with ctx.sessions.begin() as session:
        pilot = pilot_or_error(
            session=session, group_id=ctx.group_id, query=pilot_query, usage=usage
        )
        milestone = milestone_or_error(
            session=session, group_id=ctx.group_id, pilot=pilot, number=number, usage=usage
        )
        if done and milestone.done_at is not None:
            raise CommandError(
                f"{milestone.label} “{milestone.title}” is already done "
                f"(since {_day(milestone.done_at, ctx.group_timezone)}).",
                usage=REOPEN_USAGE,
            )
        if not done and milestone.done_at is None:
            raise CommandError(f"{milestone.label} “{milestone.title}” is not done yet.")
        milestone.done_at = ctx.now if done else None
        milestone.done_by = ctx.identity.user_id if done else None
        label, title, pilot_name = milestone.label, milestone.title, pilot.name
    state = "done" if done else "open again"
    return Reply(
        parts=(Paragraph(text(Bold(f"{label} {title}"), f" of {pilot_name} is {state}.")),),
        summary=f"{label} of {pilot_name} is {state}.",
    )


def listing(ctx: Context, pilot_query: str) -> Reply:
    with ctx.sessions() as session:
        pilot = None
        if pilot_query.strip():
            pilot = pilot_or_error(
                session=session, group_id=ctx.group_id, query=pilot_query, usage=LIST_USAGE
            )
        milestones = list_milestones(
            session=session, group_id=ctx.group_id, pilot_id=pilot.id if pilot else None
        )
    heading = f"Milestones of {pilot.name}" if pilot else "Milestones of the pilot actions"
    if not milestones:
        return Reply(
            heading=heading,
            parts=(Paragraph(text("No milestones yet. Coordinators add them: ", Code(ADD_USAGE))),),
            private=True,
        )
    return Reply(
        heading=heading,
        parts=(milestone_table(milestones, ctx, show_pilot=pilot is None),),
        private=True,
    )


def milestone_state(milestone: PilotMilestone, ctx: Context) -> str:
    """``done 20 Nov 2026``, ``open``, ``OVERDUE by 3 days``."""
    if milestone.done_at is not None:
        return f"done {_day(milestone.done_at, ctx.group_timezone)}"
    late = (_today(ctx) - milestone.due_on).days
    if late > 0:
        return f"OVERDUE by {counted(late, 'day')}"
    return "open"


def is_overdue(milestone: PilotMilestone, ctx: Context) -> bool:
    return milestone.done_at is None and milestone.due_on < _today(ctx)


def milestone_table(milestones: list[PilotMilestone], ctx: Context, *, show_pilot: bool) -> Table:
    columns = [Column("#"), Column("Milestone"), Column("Due"), Column("Status")]
    if show_pilot:
        columns.insert(0, Column("Pilot"))
    rows = []
    for milestone in milestones:
        row = [
            milestone.label,
            milestone.title,
            f"{milestone.due_on:%d %b %Y}",
            milestone_state(milestone, ctx),
        ]
        if show_pilot:
            row.insert(0, milestone.pilot.key)
        rows.append(tuple(row))
    return Table(columns=tuple(columns), rows=tuple(rows))


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.group_timezone)).date()


def _day(moment: datetime, timezone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(timezone)):%d %b %Y}"
