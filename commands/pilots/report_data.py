"""What an implementation report holds, read once from the database as plain values.

The document (``report_document``) and the chart (``report_chart``) are drawn from these
values alone, so they never touch a session and can be tested without one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.pilots.parse import STATUS_LABELS
from commands.pilots.views import author_label, region_label
from storage.milestones import list_milestones
from storage.models import PilotAction, PilotMilestone, PilotUpdate
from storage.pilot_report import pilot_events, pilot_practices
from storage.pilot_updates import recent_updates

HELD, PLANNED = "held", "planned"
DONE, OVERDUE, OPEN = "done", "overdue", "open"


@dataclass(frozen=True)
class Period:
    """Days in the group's zone, both included; None: from the first update / up to today."""

    first: date | None
    last: date | None

    def bounds(self, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        since = datetime.combine(self.first, time(), zone) if self.first else None
        until = datetime.combine(self.last + timedelta(days=1), time(), zone) if self.last else None
        return since, until


@dataclass(frozen=True)
class UpdateRow:
    day: date
    author: str
    status: str
    milestone: str
    text: str
    link: str


@dataclass(frozen=True)
class SummaryRow:
    region: str
    updates: int
    last_update: date | None
    milestones: str  # the milestones the region's updates reported on ("M1, M2")
    status: str  # the status tag of its latest tagged update


@dataclass(frozen=True)
class MilestoneRow:
    label: str
    title: str
    due: date
    done: date | None
    state: str  # DONE, OVERDUE or OPEN


@dataclass(frozen=True)
class EventRow:
    ref: str
    kind: str
    title: str
    when: str
    place: str
    state: str  # HELD or PLANNED


@dataclass(frozen=True)
class PracticeRow:
    id: int
    title: str
    region: str
    theme: str
    sample: bool


@dataclass(frozen=True)
class ReportData:
    pilot: str
    pilot_key: str
    description: str
    regions: tuple[str, ...]
    period: Period
    first_update: date | None
    timezone: str
    made_on: date
    summary: tuple[SummaryRow, ...]
    milestones: tuple[MilestoneRow, ...]
    events: tuple[EventRow, ...]
    updates: dict[str, tuple[UpdateRow, ...]]  # by region, each in date order
    practices: tuple[PracticeRow, ...]
    per_month: dict[str, Counter[str]] = field(default_factory=dict)  # region -> "2026-11" -> n

    @property
    def update_count(self) -> int:
        return sum(len(rows) for rows in self.updates.values())

    @property
    def milestone_counts(self) -> tuple[int, int]:
        """How many milestones are done and how many overdue."""
        states = [m.state for m in self.milestones]
        return states.count(DONE), states.count(OVERDUE)

    @property
    def has_sample(self) -> bool:
        return any(p.sample for p in self.practices)


def read_report(
    *, session: Session, group_id: int, pilot: PilotAction, period: Period, now: datetime, tz: str
) -> ReportData:
    zone = ZoneInfo(tz)
    since, until = period.bounds(zone)
    updates = recent_updates(
        session=session,
        group_id=group_id,
        pilot_id=pilot.id,
        since=since,
        until=until,
        newest_first=False,
    )
    milestones = list_milestones(session=session, group_id=group_id, pilot_id=pilot.id)
    events = pilot_events(
        session=session, group_id=group_id, pilot_id=pilot.id, since=since, until=until
    )
    by_region: dict[str, list[PilotUpdate]] = {name: [] for name in (r.name for r in pilot.regions)}
    for update in updates:
        by_region.setdefault(region_label(update), []).append(update)
    today = now.astimezone(zone).date()
    return ReportData(
        pilot=pilot.name,
        pilot_key=pilot.key,
        description=pilot.description,
        regions=tuple(r.name for r in pilot.regions),
        period=period,
        first_update=updates[0].posted_at.astimezone(zone).date() if updates else None,
        timezone=tz,
        made_on=today,
        summary=tuple(_summary(name, rows, zone) for name, rows in by_region.items()),
        milestones=tuple(_milestone(m, today, zone) for m in milestones),
        events=tuple(
            EventRow(
                ref=event.ref,
                kind=event.kind,
                title=event.title,
                when=_event_when(event.starts_at, event.timezone, event.date_precision),
                place=event.place,
                state=HELD if event.starts_at <= now else PLANNED,
            )
            for event in events
        ),
        updates={
            name: tuple(_update_row(u, zone) for u in rows) for name, rows in by_region.items()
        },
        practices=tuple(
            PracticeRow(p.id, p.title, p.region.name, p.main_theme, p.is_sample)
            for p in pilot_practices(session=session, group_id=group_id, pilot_id=pilot.id)
        ),
        per_month={
            name: Counter(u.posted_at.astimezone(zone).strftime("%Y-%m") for u in rows)
            for name, rows in by_region.items()
        },
    )


def _summary(region: str, updates: list[PilotUpdate], zone: ZoneInfo) -> SummaryRow:
    reported = sorted({u.milestone.number for u in updates if u.milestone is not None})
    tagged = [u.status for u in updates if u.status]
    return SummaryRow(
        region=region,
        updates=len(updates),
        last_update=updates[-1].posted_at.astimezone(zone).date() if updates else None,
        milestones=", ".join(f"M{number}" for number in reported),
        status=STATUS_LABELS[tagged[-1]] if tagged else "",
    )


def _milestone(milestone: PilotMilestone, today: date, zone: ZoneInfo) -> MilestoneRow:
    done = milestone.done_at.astimezone(zone).date() if milestone.done_at else None
    if done is not None:
        state = DONE
    elif milestone.due_on < today:
        state = OVERDUE
    else:
        state = OPEN
    return MilestoneRow(milestone.label, milestone.title, milestone.due_on, done, state)


def _update_row(update: PilotUpdate, zone: ZoneInfo) -> UpdateRow:
    milestone = update.milestone
    return UpdateRow(
        day=update.posted_at.astimezone(zone).date(),
        author=author_label(update),
        status=STATUS_LABELS.get(update.status or "", ""),
        milestone=f"{milestone.label} {milestone.title}" if milestone else "",
        text=update.text,
        link=update.permalink or "",
    )


def _event_when(at: datetime, tz: str, precision: str) -> str:
    local = at.astimezone(ZoneInfo(tz))
    if precision == "month":
        return local.strftime("%B %Y")
    if precision == "day":
        return local.strftime("%d %b %Y")
    return local.strftime("%d %b %Y, %H:%M %Z")
