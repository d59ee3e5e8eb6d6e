"""Recording a region's delivery for a data deadline."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.events import views
from commands.events.checks import _find
from commands.events.drafts import DEADLINES
from commands.events.grammar import split_ref
from commands.reply import Paragraph, Reply, When, text
from storage.events import get_event, record_delivery
from storage.models import CANCELLED, Event, Region
from storage.regions import resolve_region


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
