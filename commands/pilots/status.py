"""``/pilot status``: the pilots at a glance, or one pilot region by region."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from commands.context import Context
from commands.pilots.lookup import pilot_or_error
from commands.pilots.milestones import is_overdue, milestone_table
from commands.pilots.views import (
    HOW_TO_LOG,
    UNASSIGNED,
    age,
    clip,
    counted,
    days_ago,
    link_to,
    tags,
    update_line,
)
from commands.reply import Bold, Code, Divider, Field, Fields, Inline, Paragraph, Reply, text
from storage.milestones import list_milestones
from storage.models import PilotAction, PilotMilestone, PilotUpdate, Region
from storage.pilot_updates import (
    count_updates,
    counts_by_pilot_and_region,
    latest_by_region,
    recent_updates,
)
from storage.pilots import list_pilots

STATUS_USAGE = "/pilot status [<pilot>]"
# A region that has not reported on a pilot for this long is called silent.
SILENT_AFTER = timedelta(days=30)
LAST_UPDATES = 10


def silent_regions(pilot: PilotAction, heard: Collection[tuple[int, int | None]]) -> list[Region]:
    """Regions taking part in ``pilot`` without an update on it: ``heard`` holds the
    (pilot, region) pairs with recent updates."""
    return [region for region in pilot.regions if (pilot.id, region.id) not in heard]


def milestones_summary(milestones: list[PilotMilestone], ctx: Context) -> str:
    if not milestones:
        return "none yet"
    done = sum(1 for m in milestones if m.done_at is not None)
    overdue = sum(1 for m in milestones if is_overdue(m, ctx))
    summary = f"{done} of {len(milestones)} done"
    return summary + (f", {overdue} overdue" if overdue else "")


def overview(ctx: Context) -> Reply:
    with ctx.sessions() as session:
        pilots = list_pilots(session=session, group_id=ctx.group_id)
        # Counts, not the updates: a busy month is thousands of them.
        recent = counts_by_pilot_and_region(
            session=session, group_id=ctx.group_id, since=ctx.now - SILENT_AFTER
        )
        milestones = list_milestones(session=session, group_id=ctx.group_id)
    parts: list = []
    for pilot in pilots:
        silent = silent_regions(pilot, recent)
        count = sum(n for (pilot_id, _), n in recent.items() if pilot_id == pilot.id)
        own = [m for m in milestones if m.pilot_id == pilot.id]
        parts.append(Paragraph(text(Bold(pilot.name), "  ", Code(pilot.key))))
        parts.append(
            Fields(
                (
                    Field("Regions", text(", ".join(r.name for r in pilot.regions) or "none")),
                    Field("Updates, last 30 days", text(str(count))),
                    Field("Milestones", text(milestones_summary(own, ctx))),
                    Field(
                        "Silent for 30 days",
                        text(", ".join(r.name for r in silent) if silent else "none"),
                    ),
                )
            )
        )
    unassigned = sum(n for (_, region_id), n in recent.items() if region_id is None)
    if unassigned:
        parts.append(
            Paragraph(
                text(
                    f"{counted(unassigned, 'update')} of the last 30 days "
                    f"are under “{UNASSIGNED}”: their authors have not joined a region "
                    "(",
                    Code("/chemclust join <region>"),
                    ").",
                )
            )
        )
    return Reply(
        heading="Pilot actions at a glance",
        parts=tuple(parts),
        footnote=("Details: ", Code("/pilot status <pilot>"), ". ", *HOW_TO_LOG),
        summary=f"Pilot actions: {sum(recent.values())} updates in the last 30 days.",
    )


def pilot_status(ctx: Context, query: str) -> Reply:
    with ctx.sessions() as session:
        pilot = pilot_or_error(
            session=session, group_id=ctx.group_id, query=query, usage=STATUS_USAGE
        )
        latest = latest_by_region(session=session, group_id=ctx.group_id, pilot_id=pilot.id)
        milestones = list_milestones(session=session, group_id=ctx.group_id, pilot_id=pilot.id)
        last = recent_updates(
            session=session, group_id=ctx.group_id, pilot_id=pilot.id, limit=LAST_UPDATES
        )
        recent = count_updates(
            session=session, group_id=ctx.group_id, pilot_id=pilot.id, since=ctx.now - SILENT_AFTER
        )
    regions = list(pilot.regions)
    # Regions outside the pilot that reported on it anyway, then the unassigned updates.
    taking_part = {r.id for r in regions}
    others = sorted(
        (u.region for u in latest.values() if u.region and u.region.id not in taking_part),
        key=lambda region: region.name,
    )
    parts: list = [
        Paragraph(
            text(
                f"{counted(recent, 'update')} in the last 30 days · "
                f"milestones: {milestones_summary(milestones, ctx)}"
            )
        ),
        Divider(),
        Paragraph(text(Bold("Latest by region"))),
    ]
    for region in [*regions, *others]:
        parts.append(Paragraph(_region_line(ctx, region.name, latest.get(region.id))))
    if None in latest:
        parts.append(Paragraph(_region_line(ctx, UNASSIGNED, latest[None])))
    parts += [Divider(), Paragraph(text(Bold("Milestones")))]
    if milestones:
        parts.append(milestone_table(milestones, ctx, show_pilot=False))
    else:
        parts.append(Paragraph(text("None yet.")))
    parts += [Divider(), Paragraph(text(Bold(f"Last {LAST_UPDATES} updates")))]
    if last:
        parts += [Paragraph(update_line(u, timezone=ctx.timezone)) for u in last]
    else:
        parts.append(Paragraph(text("No updates yet. Write ", Code(f"update {pilot.key}: …"))))
    return Reply(
        heading=f"{pilot.name}: status",
        parts=tuple(parts),
        summary=f"{pilot.name}: {counted(recent, 'update')} in the last 30 days.",
    )


def _region_line(ctx: Context, name: str, update: PilotUpdate | None) -> tuple[Inline, ...]:
    if update is None:
        return text(Bold(name), " · no update yet")
    silent = days_ago(ctx.now, update.posted_at) >= SILENT_AFTER.days
    flag = " · ⚠ silent for 30 days" if silent and name != UNASSIGNED else ""
    return text(
        Bold(name),
        f" · {age(ctx.now, update.posted_at)}{flag} · ",
        tags(update) + clip(update.text),
        *link_to(update),
    )
