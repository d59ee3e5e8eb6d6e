"""What the Home shows, read in one go: bounded reads only, each as long as it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from commands.benchmark.model import Benchmark, load
from commands.context import Context
from commands.reminders.plan import CHASE_DAYS
from storage.events import list_events
from storage.home import FailedReminder, Page, failed_reminders, heard_from, open_deadlines
from storage.home import open_milestones as read_open_milestones
from storage.models import (
    BenchmarkEdition,
    Event,
    PilotAction,
    PilotMilestone,
    PilotUpdate,
    Recommendation,
    Region,
)
from storage.pilot_updates import recent_updates
from storage.pilots import list_pilots
from storage.recommendations import open_consultations_for
from storage.regions import list_regions

# How far ahead the Home looks for workshops and for milestones coming due.
AHEAD = timedelta(days=14)
# Reminders that failed this recently are shown to coordinators.
FAILURES_SINCE = timedelta(days=7)
# A region without an update on a pilot for this long is silent (as in /pilot status).
SILENT_AFTER = timedelta(days=30)
# How many of each list the Home shows; the rest are counted ("…and 3 more").
SHOWN_DEADLINES = 5
SHOWN_WORKSHOPS = 6
SHOWN_FAILURES = 5
SHOWN_MILESTONES = 12
UPDATES_PER_PILOT = 3
WORKSHOP_KINDS = ("workshop", "seminar", "meeting")


@dataclass(frozen=True)
class Standing:
    """The asker's region in the latest benchmark edition."""

    bench: Benchmark
    edition: BenchmarkEdition
    region: Region


@dataclass(frozen=True)
class PilotFacts:
    pilot: PilotAction
    updates: list[PilotUpdate]
    milestones: list[PilotMilestone]


@dataclass(frozen=True)
class CoordinatorFacts:
    deadlines: Page[Event]
    failures: Page[FailedReminder]
    silent: dict[str, list[str]]  # pilot name -> regions silent for 30 days


@dataclass(frozen=True)
class HomeFacts:
    regions: list[Region]  # for the picker, when the asker has no region
    standing: Standing | None
    deadlines: Page[Event] | None  # the asker's region's open deadlines
    pilots: list[PilotFacts]
    workshops: list[Event]
    coordinator: CoordinatorFacts | None = None
    # Recommendations under consultation that the asker's region has not endorsed yet.
    consultations: list[Recommendation] = field(default_factory=list)


def gather(ctx: Context) -> HomeFacts:
    since_chase = ctx.now - timedelta(days=CHASE_DAYS)
    with ctx.sessions() as session:
        regions = list_regions(session=session, group_id=ctx.group_id)
        pilots = list_pilots(session=session, group_id=ctx.group_id)
        own_pilots = [p for p in pilots if any(r.id == ctx.region_id for r in p.regions)]
        deadlines = None
        consultations: list[Recommendation] = []
        if ctx.region_id is not None:
            own = next(r for r in regions if r.id == ctx.region_id)
            consultations = open_consultations_for(own, session=session, now=ctx.now)
            deadlines = open_deadlines(
                session=session,
                group_id=ctx.group_id,
                since=since_chase,
                limit=SHOWN_DEADLINES,
                region_id=ctx.region_id,
            )
        today = ctx.now.astimezone(ZoneInfo(ctx.group_timezone)).date()
        milestones = read_open_milestones(
            session=session,
            group_id=ctx.group_id,
            pilot_ids=[p.id for p in own_pilots],
            due_by=today + AHEAD,
            limit=SHOWN_MILESTONES,
        )
        pilot_facts = [
            PilotFacts(
                pilot,
                recent_updates(
                    session=session,
                    group_id=ctx.group_id,
                    pilot_id=pilot.id,
                    limit=UPDATES_PER_PILOT,
                ),
                [m for m in milestones if m.pilot_id == pilot.id],
            )
            for pilot in own_pilots
        ]
        workshops = list_events(
            session=session,
            group_id=ctx.group_id,
            kinds=WORKSHOP_KINDS,
            since=ctx.now,
            until=ctx.now + AHEAD,
        )
        coordinator = None
        if ctx.is_coordinator:
            coordinator = CoordinatorFacts(
                deadlines=open_deadlines(
                    session=session,
                    group_id=ctx.group_id,
                    since=since_chase,
                    limit=SHOWN_DEADLINES,
                ),
                failures=failed_reminders(
                    session=session,
                    group_id=ctx.group_id,
                    since=ctx.now - FAILURES_SINCE,
                    limit=SHOWN_FAILURES,
                ),
                silent=_silent(
                    pilots,
                    heard_from(
                        session=session, group_id=ctx.group_id, since=ctx.now - SILENT_AFTER
                    ),
                ),
            )
    return HomeFacts(
        regions=regions,
        standing=_standing(ctx, regions),
        deadlines=deadlines,
        pilots=pilot_facts,
        workshops=workshops,
        coordinator=coordinator,
        consultations=consultations,
    )


def _standing(ctx: Context, regions: list[Region]) -> Standing | None:
    region = next((r for r in regions if r.id == ctx.region_id), None)
    if region is None:
        return None
    bench = load(ctx)
    edition = bench.latest
    if edition is None:
        return None
    return Standing(bench, edition, region)


def _silent(pilots: list[PilotAction], heard: set[tuple[int, int]]) -> dict[str, list[str]]:
    return {
        pilot.name: [r.name for r in pilot.regions if (pilot.id, r.id) not in heard]
        for pilot in pilots
    }
