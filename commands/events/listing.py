"""Listing workshops and deadlines: upcoming, past or all, deadlines with who is late."""

from __future__ import annotations

from datetime import timedelta

from commands.context import Context
from commands.errors import CommandError
from commands.events import views
from commands.events.drafts import DEADLINES, Family
from commands.events.grammar import LIST_PAGE
from commands.numbers import read_number
from commands.reminders.plan import CHASE_DAYS
from commands.reply import Reply
from storage.events import count_events, list_events, missing_regions
from storage.text import fold


def list_reply(ctx: Context, family: Family, rest: str) -> Reply:
    usage = f"/{family.command} list [past [<page>]]"
    which, _, page_text = fold(rest).partition(" ")
    if which not in {"", "past", "all", "upcoming"} or (page_text and which in {"", "upcoming"}):
        raise CommandError(
            f"/{family.command} list takes nothing, “past” or “all”, and after those a page.",
            usage=usage,
        )
    page = read_number(LIST_PAGE, page_text, usage=usage) if page_text else 1
    past, upcoming = which == "past", which in {"", "upcoming"}
    since = ctx.now if upcoming else None
    until = ctx.now if past else None
    # Only the page shown is read, and a count of the rest: history stays in the database.
    with ctx.sessions() as session:
        events = list_events(
            session=session,
            group_id=ctx.group_id,
            kinds=family.kinds,
            since=since,
            until=until,
            latest_first=past,
            limit=views.MAX_LISTED,
            offset=(page - 1) * views.MAX_LISTED,
        )
        total = count_events(
            session=session, group_id=ctx.group_id, kinds=family.kinds, since=since, until=until
        )
        overdue = None
        if family is DEADLINES and upcoming:
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
        # The upcoming list is one page; history is paged.
        command = "" if upcoming else f"/{family.command} list {which}"
        pages = views.Pages(page=page, total=total, command=command)
        return views.listing(family, events, now=ctx.now, past=past, overdue=overdue, pages=pages)
