"""``/workshop calendar``: the group's calendar file and its subscription address."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.events import views
from commands.events.calendar import ICS_MIME, group_calendar
from commands.events.checks import _require_coordinator
from commands.reply import Attachment, Reply
from storage.calendars import feed_token, rotate_feed_token
from storage.text import fold

CALENDAR_PATH = "/calendar/{token}.ics"


def calendar(ctx: Context, rest: str) -> Reply:
    usage = "/workshop calendar [rotate]"
    which = fold(rest)
    if which not in {"", "rotate"}:
        raise CommandError("/workshop calendar takes nothing or “rotate”.", usage=usage)
    if which == "rotate":
        _require_coordinator(ctx, "replace the calendar address")
        with ctx.sessions.begin() as session:
            token = rotate_feed_token(session=session, group_id=ctx.group_id, now=ctx.now)
        return views.calendar_link(
            _feed_url(ctx, token), CALENDAR_PATH.format(token=token), rotated=True
        )
    with ctx.sessions.begin() as session:
        token = feed_token(session=session, group_id=ctx.group_id)
    content = group_calendar(ctx.sessions, group_id=ctx.group_id, now=ctx.now)
    reply = views.calendar_link(_feed_url(ctx, token), CALENDAR_PATH.format(token=token))
    return Reply(
        heading=reply.heading,
        parts=reply.parts,
        private=True,
        summary=reply.summary,
        files=(Attachment("chemclust.ics", content, ICS_MIME, "ChemClust calendar"),),
    )


def _feed_url(ctx: Context, token: str) -> str | None:
    if not ctx.public_url:
        return None
    return ctx.public_url.rstrip("/") + CALENDAR_PATH.format(token=token)
