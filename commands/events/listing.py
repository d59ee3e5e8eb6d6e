"""Listing workshops and deadlines: upcoming, past or all, deadlines with who is late."""

from __future__ import annotations

from datetime import timedelta

from commands.context import Context
from commands.errors import CommandError
from commands.events import views
from commands.events.drafts import DEADLINES, Family
from commands.reminders.plan import CHASE_DAYS
from commands.reply import Reply
from storage.events import list_events, missing_regions
from storage.text import fold


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
