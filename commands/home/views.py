"""The Home as a Reply: who you are, your region's figures, what is due, what is coming."""

from __future__ import annotations

from datetime import datetime

from commands.benchmark.command import PROFILE_ACTION
from commands.benchmark.notes import footnote
from commands.benchmark.views import index_points, points, rank_move, signed
from commands.chemclust import JOIN_ACTION
from commands.context import Context
from commands.home.facts import (
    AHEAD,
    SHOWN_WORKSHOPS,
    SILENT_AFTER,
    CoordinatorFacts,
    HomeFacts,
    PilotFacts,
    Standing,
)
from commands.home.greeting import RUN_ACTION
from commands.pilots.milestones import is_overdue
from commands.pilots.views import clip, link_to, region_label, tags
from commands.reminders.messages import CALENDAR_ACTION, DELIVERED_ACTION
from commands.reply import (
    Actions,
    Bold,
    Button,
    Code,
    Divider,
    Field,
    Fields,
    Inline,
    Paragraph,
    Part,
    Reply,
    Text,
    When,
    text,
)
from storage.home import FailedReminder, Page
from storage.models import Event, PilotMilestone, PilotUpdate, Recommendation

CHART_ACTION = "home.chart"
LOG_UPDATE_ACTION = "home.log_update"
ADD_WORKSHOP_ACTION = "home.add_workshop"
ADD_DEADLINE_ACTION = "home.add_deadline"
# Updates are cut shorter than in /pilot status: the Home shows many things at once.
UPDATE_TEXT = 160
FAILURE_TEXT = 200
SHOWN_CONSULTATIONS = 3


def home_reply(ctx: Context, facts: HomeFacts) -> Reply:
    parts: list[Part] = [*_who(ctx, facts)]
    if facts.standing is not None:
        parts += _benchmark(facts.standing)
    if facts.deadlines is not None:
        parts += _deadlines(ctx, facts.deadlines)
    if facts.consultations:
        parts += _consultations(ctx, facts.consultations)
    if ctx.region_id is not None:
        parts += _pilots(ctx, facts.pilots)
    parts += _workshops(ctx, facts.workshops)
    if facts.coordinator is not None:
        parts += _coordinating(ctx, facts.coordinator)
    note = None
    if facts.standing is not None:
        bench, edition = facts.standing.bench, facts.standing.edition
        note = footnote(bench, edition, bench.previous(edition))
    who = ctx.region_name or "no region yet"
    return Reply(
        heading=f"Home · {ctx.group_name}",
        parts=tuple(parts),
        footnote=note,
        private=True,
        summary=f"Your home: {who}, {ctx.role}.",
    )


def _who(ctx: Context, facts: HomeFacts) -> list[Part]:
    role = "a coordinator" if ctx.is_coordinator else "a partner"
    if ctx.region_name:
        return [Paragraph(text("You represent ", Bold(ctx.region_name), f", as {role}."))]
    if ctx.is_coordinator:
        said = "You are a coordinator and represent no region. If you represent one, pick it:"
    else:
        said = (
            "You have not said which region you represent yet. Pick yours, and the Home shows "
            "its benchmark figures, its deadlines and its pilot actions:"
        )
    picker = Actions(tuple(Button(r.name, JOIN_ACTION, value=r.key) for r in facts.regions))
    return [Paragraph(text(said)), picker]


def _heading(*pieces: Inline) -> list[Part]:
    return [Divider(), Paragraph(text(*pieces))]


def _benchmark(standing: Standing) -> list[Part]:
    bench, edition, region = standing.bench, standing.edition, standing.region
    sample = " (illustrative sample figures)" if edition.is_sample else ""
    parts = _heading(Bold(f"{region.name} in the benchmark"), f" · {edition.label}{sample}")
    shown = bench.standing(edition, region)
    if shown.rank is None:
        return [*parts, Paragraph(text(f"{region.name} has no figures in the {edition.label}."))]
    previous = bench.previous(edition)
    if previous is None:
        change = "first edition"
    elif shown.change is None:
        change = f"not ranked in the {previous.label}"
    else:
        change = f"{signed(shown.change)} points{rank_move(shown.rank_change)}"
    strongest, weakest = bench.extremes(edition, region)
    scores = {r.indicator.code: r.score for r in bench.results(edition, region)}

    def names(indicators) -> str:
        return ", ".join(f"{i.name} ({points(scores[i.code])})" for i in indicators) or "–"

    value = f"{region.key}@{edition.label}"
    return [
        *parts,
        Fields(
            (
                Field("Composite index", text(Bold(index_points(shown.index)), " / 100")),
                Field("Rank", text(Bold(f"{shown.rank} of {shown.of}"), " partner regions")),
                Field(f"Change since {previous.label}" if previous else "Change", text(change)),
                Field("Strongest", text(names(strongest))),
                Field("Weakest", text(names(weakest))),
            )
        ),
        Actions(
            (
                Button("Profile", PROFILE_ACTION, value=value),
                Button("Chart", CHART_ACTION, value=value),
            )
        ),
    ]


def _due(event: Event, ctx: Context) -> Text:
    said = "due " if event.starts_at > ctx.now else "was due "
    return text(said, When(event.starts_at, ctx.timezone, event.date_precision))


def _more(page: Page, where: str = "") -> list[Part]:
    if not page.more:
        return []
    if not where:
        return [Paragraph(text(f"…and {page.more} more."))]
    return [Paragraph(text(f"…and {page.more} more: ", Code(where)))]


def _deadlines(ctx: Context, page: Page[Event]) -> list[Part]:
    parts = _heading(Bold(f"{ctx.region_name}'s open data deadlines"))
    if not page.rows:
        return [*parts, Paragraph(text(f"Nothing is waiting for {ctx.region_name}."))]
    for event in page.rows:
        parts.append(
            Paragraph(
                text(Bold(event.ref), "  ", event.title, " — ", *_due(event, ctx)),
                button=Button(
                    "Mark delivered", DELIVERED_ACTION, value=str(event.id), style="primary"
                ),
            )
        )
    return parts + _more(page, "/deadline list")


def _consultations(ctx: Context, open_ones: list[Recommendation]) -> list[Part]:
    parts = _heading(Bold(f"Recommendations awaiting {ctx.region_name}'s endorsement"))
    for recommendation in open_ones[:SHOWN_CONSULTATIONS]:
        closes = When(recommendation.closes_at, ctx.timezone) if recommendation.closes_at else ""
        parts.append(
            Paragraph(
                text(Bold(recommendation.ref), "  ", recommendation.title, " — closes ", closes),
                button=Button(
                    "Endorse", RUN_ACTION, value=f"recommendation endorse {recommendation.ref}"
                ),
            )
        )
    more = len(open_ones) - SHOWN_CONSULTATIONS
    if more > 0:
        parts.append(Paragraph(text(f"…and {more} more: ", Code("/recommendation list"))))
    parts.append(Paragraph(text("Read one first: ", Code("/recommendation show <id>"), ".")))
    return parts


def _update_line(update: PilotUpdate, ctx: Context) -> Text:
    return text(
        When(update.posted_at, ctx.timezone, "day"),
        " · ",
        Bold(region_label(update)),
        " · ",
        tags(update) + clip(update.text, UPDATE_TEXT),
        *link_to(update),
    )


def _milestone_line(milestone: PilotMilestone, ctx: Context) -> Text:
    state = "overdue since" if is_overdue(milestone, ctx) else "due"
    return text(
        Bold(milestone.label), f" {milestone.title} — {state} {milestone.due_on:%a %d %b %Y}"
    )


def _lines(lines: list[Text]) -> Text:
    joined: list[Inline] = []
    for line in lines:
        if joined:
            joined.append("\n")
        joined += line
    return tuple(joined)


def _pilots(ctx: Context, pilots: list[PilotFacts]) -> list[Part]:
    parts = _heading(Bold(f"Pilot actions {ctx.region_name} is in"))
    if not pilots:
        return [*parts, Paragraph(text(f"{ctx.region_name} takes part in no pilot action."))]
    for facts in pilots:
        parts.append(
            Paragraph(
                text(Bold(facts.pilot.name)),
                button=Button("Log an update", LOG_UPDATE_ACTION, value=facts.pilot.key),
            )
        )
        if facts.updates:
            parts.append(Paragraph(_lines([_update_line(u, ctx) for u in facts.updates])))
        else:
            parts.append(Paragraph(text("No updates yet.")))
        if facts.milestones:
            lines = [_milestone_line(m, ctx) for m in facts.milestones]
            parts.append(Paragraph(_lines([text(Bold("Milestones")), *lines])))
    return parts


def _workshops(ctx: Context, events: list[Event]) -> list[Part]:
    parts = _heading(Bold(f"Workshops and seminars, next {AHEAD.days} days"))
    if not events:
        return [
            *parts,
            Paragraph(text("Nothing planned. The whole calendar: ", Code("/workshop calendar"))),
        ]
    for event in events[:SHOWN_WORKSHOPS]:
        line: list[Inline] = [Bold(event.ref), "  ", event.title, " — ", event.kind, ", "]
        line.append(When(event.starts_at, ctx.timezone, event.date_precision))
        if event.place:
            line += [", ", event.place]
        parts.append(
            Paragraph(
                tuple(line),
                button=Button("Add to calendar", CALENDAR_ACTION, value=str(event.id)),
            )
        )
    hidden = len(events) - SHOWN_WORKSHOPS
    if hidden > 0:
        parts.append(Paragraph(text(f"…and {hidden} more: ", Code("/workshop list"))))
    return parts


def _failure_line(failed: FailedReminder, ctx: Context) -> Text:
    reminder, event = failed.reminder, failed.event
    what: list[Inline] = [Bold(event.ref), f" {event.title}"] if event else ["A message"]
    target = reminder.target or {}
    to = f"channel {target['channel']}" if "channel" in target else "a direct message"
    when: datetime = reminder.claimed_at or reminder.due_at
    return text(
        *what,
        f" → {to}: ",
        clip(reminder.last_error or "unknown error", FAILURE_TEXT),
        " (",
        When(when, ctx.timezone),
        ")",
    )


def _coordinating(ctx: Context, facts: CoordinatorFacts) -> list[Part]:
    parts = _heading(Bold("For coordinators"))
    parts.append(Paragraph(text(Bold("Open deadlines: regions still missing"))))
    if not facts.deadlines.rows:
        parts.append(Paragraph(text("No open deadlines.")))
    for event in facts.deadlines.rows:
        delivered = {d.region_id for d in event.deliveries}
        missing = ", ".join(r.name for r in event.regions if r.id not in delivered)
        parts.append(
            Paragraph(
                text(
                    Bold(event.ref),
                    "  ",
                    event.title,
                    " — ",
                    *_due(event, ctx),
                    "\n",
                    Bold("Missing: "),
                    missing,
                )
            )
        )
    parts += _more(facts.deadlines, "/deadline list")
    parts.append(Paragraph(text(Bold("Reminders that failed in the last 7 days"))))
    failures = [_failure_line(f, ctx) for f in facts.failures.rows]
    parts.append(Paragraph(_lines(failures) if failures else text("None.")))
    parts += _more(facts.failures)
    parts.append(Paragraph(text(Bold(f"Regions silent for {SILENT_AFTER.days} days"))))
    silent = [
        text(f"{pilot}: ", ", ".join(regions) if regions else "none")
        for pilot, regions in facts.silent.items()
    ]
    parts.append(Paragraph(_lines(silent) if silent else text("No pilot actions yet.")))
    parts.append(
        Actions(
            (
                Button("Add workshop", ADD_WORKSHOP_ACTION),
                Button("Add deadline", ADD_DEADLINE_ACTION),
            )
        )
    )
    return parts
