"""Checking what a coordinator asked to add, field by field, before anything is written.

The slash-command text and the modal fill the same fields; the same checks answer both —
the command with its first problem, the modal with a message under every wrong field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from commands.context import Context
from commands.errors import CommandError
from commands.events.grammar import (
    DEADLINE_ADD_USAGE,
    MAX_PLACE,
    MAX_TITLE,
    WORKSHOP_ADD_USAGE,
)
from commands.events.leads import DEADLINE_LEADS, WORKSHOP_LEADS, parse_leads
from commands.events.when import parse_when
from storage.models import PilotAction, Region
from storage.pilots import list_pilots, resolve_pilot
from storage.regions import list_regions, resolve_region
from storage.text import fold


@dataclass(frozen=True)
class Family:
    """What ``/workshop`` and ``/deadline`` share, and where they differ."""

    command: str
    kinds: tuple[str, ...]  # the first is what ``add`` creates unless another is named
    keywords: tuple[str, ...]
    default_leads: tuple[int, ...]
    add_usage: str
    form_id: str
    noun: str  # "workshop", "deadline": how replies speak of the family


WORKSHOPS = Family(
    command="workshop",
    kinds=("workshop", "seminar", "meeting"),
    keywords=("at", "pilot", "remind"),
    default_leads=WORKSHOP_LEADS,
    add_usage=WORKSHOP_ADD_USAGE,
    form_id="events.workshop.add",
    noun="workshop",
)
DEADLINES = Family(
    command="deadline",
    kinds=("deadline",),
    keywords=("for", "remind"),
    default_leads=DEADLINE_LEADS,
    add_usage=DEADLINE_ADD_USAGE,
    form_id="events.deadline.add",
    noun="deadline",
)


@dataclass
class Draft:
    kind: str
    title: str
    starts_at: datetime
    timezone: str
    has_time: bool
    lead_minutes: tuple[int, ...]
    place: str = ""
    pilot: PilotAction | None = None
    regions: list[Region] = field(default_factory=list)


class DraftProblems(CommandError):
    """One message per field that cannot be accepted."""

    def __init__(self, problems: dict[str, str], *, usage: str):
        first = next(iter(problems.values()))
        super().__init__(first, usage=usage)
        self.problems = problems


def check_draft(ctx: Context, family: Family, values: dict[str, str]) -> Draft:
    """``values`` holds title, when, kind, and place/pilot or regions, and remind."""
    problems: dict[str, str] = {}

    def attempt(name: str, check):
        try:
            return check()
        except CommandError as error:
            problems[name] = error.message
            return None

    kind = values.get("kind") or family.kinds[0]
    title = " ".join(values.get("title", "").split())
    if not title:
        problems["title"] = "Give it a title."
    elif len(title) > MAX_TITLE:
        problems["title"] = f"The title is too long ({len(title)} characters, max {MAX_TITLE})."
    moment = attempt(
        "when",
        lambda: parse_when(
            values.get("when", ""),
            now=ctx.now,
            timezone=ctx.timezone,
            needs_time=kind != "deadline",
        ),
    )
    typed_leads = values.get("remind", "").strip()
    leads = attempt("remind", lambda: parse_leads(typed_leads)) if typed_leads else None
    place = " ".join(values.get("place", "").split())
    if len(place) > MAX_PLACE:
        problems["place"] = f"The place is too long ({len(place)} characters, max {MAX_PLACE})."
    pilot = None
    regions: list[Region] = []
    with ctx.sessions() as session:
        if values.get("pilot", "").strip():
            pilot = attempt("pilot", lambda: _pilot(ctx, session, values["pilot"]))
        if family is DEADLINES:
            regions = (
                attempt("regions", lambda: _regions(ctx, session, values.get("regions", ""))) or []
            )
    if problems:
        raise DraftProblems(problems, usage=family.add_usage)
    assert moment is not None  # noqa: S101 - no problem recorded means it was read
    return Draft(
        kind=kind,
        title=title,
        starts_at=moment.at,
        timezone=moment.timezone,
        has_time=moment.has_time,
        lead_minutes=leads if leads is not None else family.default_leads,
        place=place,
        pilot=pilot,
        regions=regions,
    )


def _pilot(ctx: Context, session, typed: str) -> PilotAction:
    found = resolve_pilot(session=session, group_id=ctx.group_id, query=typed)
    if found.match is not None:
        return found.match
    known = ", ".join(
        p.name for p in (found.candidates or list_pilots(session=session, group_id=ctx.group_id))
    )
    lead = "fits several pilot actions" if found.ambiguous else "is not a pilot action I know"
    raise CommandError(f"“{typed}” {lead}. Pilot actions: {known}.")


def _regions(ctx: Context, session, typed: str) -> list[Region]:
    """``all`` (or nothing) is every partner region; else a comma list of regions."""
    everyone = list_regions(session=session, group_id=ctx.group_id)
    if fold(typed) in {"", "all", "everyone", "all regions"}:
        return everyone
    chosen: dict[int, Region] = {}
    for part in typed.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        found = resolve_region(session=session, group_id=ctx.group_id, query=part)
        if found.match is None:
            names = ", ".join(r.name for r in found.candidates)
            if found.ambiguous:
                raise CommandError(f"“{part}” fits several regions: {names}. Name one.")
            closest = f" Closest: {names}." if names else ""
            raise CommandError(f"I don't know a partner region called “{part}”.{closest}")
        chosen[found.match.id] = found.match
    if not chosen:
        raise CommandError("Name the regions that must deliver, separated by commas, or say all.")
    return sorted(chosen.values(), key=lambda r: r.name)
