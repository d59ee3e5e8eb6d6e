"""Logging an update on purpose: ``/pilot log``, its form, and the "Log as pilot update" shortcut.

Updates written as messages (``update skills: …``) are in ``messages``; both end up as the
same kind of row, told apart by their source.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.messages import ChatMessage
from commands.pilots.lookup import form_milestone, milestone_or_error, pilot_or_error, spellings
from commands.pilots.parse import (
    STATUS_LABELS,
    parse_update,
    read_tags,
    split_pilot,
)
from commands.pilots.views import UNASSIGNED, clip
from commands.reply import Bold, Code, Form, FormErrors, FormField, Paragraph, Reply, UserRef, text
from storage.db import SessionFactory
from storage.members import get_member
from storage.models import PilotAction, PilotMilestone, PilotUpdate
from storage.pilot_channels import linked_pilot
from storage.pilot_updates import add_update, find_update, is_logged
from storage.pilots import list_pilots, resolve_pilot

LOG_USAGE = "/pilot log <pilot> <what happened> [on track|delayed|done] [M<n>]"
LOG_FORM = "pilot.log"
LOG_SHORTCUT = "pilot.log_message"
MAX_FORM_TEXT = 3000
JOIN_HINT = "/chemclust join <region>"


def unassigned_note(author_id: str, *, is_you: bool) -> Paragraph:
    """Nothing is lost without a region, but the update cannot count for one."""
    if is_you:
        return Paragraph(
            text(
                f"Logged under “{UNASSIGNED}” because you have not said which region you "
                "represent. Say it with ",
                Code(JOIN_HINT),
                " and your later updates count for your region.",
            )
        )
    return Paragraph(
        text(
            f"Logged under “{UNASSIGNED}” because ",
            UserRef(author_id, author_id),
            " has not joined a region yet (",
            Code(JOIN_HINT),
            ").",
        )
    )


# /pilot log ----------------------------------------------------------------------------------


def log_command(ctx: Context, arguments: str) -> Reply:
    if not arguments.strip():
        if ctx.can_open_forms:
            with ctx.sessions() as session:
                pilots = list_pilots(session=session, group_id=ctx.group_id)
            return Reply(form=log_form(pilots))
        raise CommandError("Say which pilot and what happened.", usage=LOG_USAGE)
    with ctx.sessions.begin() as session:
        pilots = list_pilots(session=session, group_id=ctx.group_id)
        pilot_query, rest = split_pilot(arguments, spellings(pilots))
        pilot = pilot_or_error(
            session=session, group_id=ctx.group_id, query=pilot_query, usage=LOG_USAGE
        )
        written = read_tags(rest, pilot=pilot_query)
        if written.milestone_problem:
            raise CommandError(written.milestone_problem, usage=LOG_USAGE)
        if written.conflicts:
            raise CommandError(
                f"{' and '.join(written.conflicts)} conflicts with an earlier tag; give one status "
                "and one milestone.",
                usage=LOG_USAGE,
            )
        if not written.text:
            raise CommandError(f"Say what happened in {pilot.name}.", usage=LOG_USAGE)
        milestone = None
        if written.milestone is not None:
            milestone = milestone_or_error(
                session=session,
                group_id=ctx.group_id,
                pilot=pilot,
                number=written.milestone,
                usage=LOG_USAGE,
            )
        return _store_for_author(ctx, session, pilot, written.status, milestone, written.text)


def logged_reply(
    ctx: Context,
    pilot: PilotAction,
    status: str | None,
    milestone: PilotMilestone | None,
    what: str,
    *,
    author_id: str | None = None,
    region_name: str | None = None,
) -> Reply:
    author_id = author_id or ctx.identity.user_id
    is_you = author_id == ctx.identity.user_id
    region = region_name if not is_you else ctx.region_name
    tags = []
    if status:
        tags.append(STATUS_LABELS[status])
    if milestone is not None:
        tags.append(f"{milestone.label} {milestone.title}")
    parts = [
        Paragraph(
            text(
                "Logged for ",
                Bold(region or UNASSIGNED),
                " under ",
                Bold(pilot.name),
                f" ({', '.join(tags)})" if tags else "",
                ": ",
                clip(what),
            )
        )
    ]
    if region is None:
        parts.append(unassigned_note(author_id, is_you=is_you))
    return Reply(
        private=True,
        parts=tuple(parts),
        summary=f"Logged under {pilot.name}.",
    )


# The form (from /pilot log in Slack, and from the message shortcut) ---------------------------


def log_form(
    pilots: list[PilotAction],
    *,
    pilot_key: str = "",
    status: str = "",
    milestone: str = "",
    what: str = "",
    state: str = "",
) -> Form:
    return Form(
        form_id=LOG_FORM,
        title="Log pilot update",
        submit_label="Log",
        state=state,
        fields=(
            FormField(
                "pilot",
                "Pilot action",
                kind="select",
                options=tuple((p.key, p.name) for p in pilots),
                initial=pilot_key,
            ),
            FormField(
                "status",
                "Status",
                kind="select",
                required=False,
                options=tuple(STATUS_LABELS.items()),
                initial=status,
            ),
            FormField(
                "milestone",
                "Milestone",
                required=False,
                initial=milestone,
                placeholder="M2",
                hint="The number of one of the pilot's milestones (see /pilot milestones).",
                max_length=20,
            ),
            FormField(
                "text",
                "What happened",
                kind="multiline",
                initial=what[:MAX_FORM_TEXT],
                max_length=MAX_FORM_TEXT,
            ),
        ),
    )


def log_shortcut(ctx: Context, message: ChatMessage) -> Reply:
    """ "Log as pilot update" on a message: a form prefilled from the message, its channel and
    whatever was logged from it before."""
    if not message.author_id:
        raise CommandError("Only messages people wrote can be logged as pilot updates.")
    platform = ctx.identity.platform
    with ctx.sessions() as session:
        _may_log_for(ctx, session, message.author_id)
        pilots = list_pilots(session=session, group_id=ctx.group_id)
        existing = find_update(
            session=session,
            group_id=ctx.group_id,
            platform=platform,
            channel_id=message.channel_id,
            message_id=message.message_id,
        )
        if existing is not None and existing.removed_at is None:
            pilot_key = existing.pilot.key
            status, what = existing.status or "", existing.text
            milestone = existing.milestone.label if existing.milestone else ""
        else:
            written = parse_update(message.text) or read_tags(message.text, pilot=None)
            named = (
                resolve_pilot(session=session, group_id=ctx.group_id, query=written.pilot).match
                if written.pilot
                else None
            )
            linked = named or linked_pilot(
                session=session,
                group_id=ctx.group_id,
                platform=platform,
                channel_id=message.channel_id,
            )
            pilot_key = linked.key if linked else ""
            status, what = written.status or "", written.text
            milestone = f"M{written.milestone}" if written.milestone else ""
    state = json.dumps(
        {
            "channel": message.channel_id,
            "message": message.message_id,
            "author": message.author_id,
            "posted": message.posted_at.isoformat(),
            "link": message.lookups.permalink(message.channel_id, message.message_id) or "",
        }
    )
    form = log_form(
        pilots, pilot_key=pilot_key, status=status, milestone=milestone, what=what, state=state
    )
    return Reply(form=form)


def _may_log_for(ctx: Context, session: Session, author_id: str) -> None:
    """The author, a coordinator, or someone of the author's region may log a message."""
    if author_id == ctx.identity.user_id or ctx.is_coordinator:
        return
    author = get_member(
        session=session, group_id=ctx.group_id, platform=ctx.identity.platform, user_id=author_id
    )
    if ctx.region_id is not None and author is not None and author.region_id == ctx.region_id:
        return
    raise NotAllowed(
        "Only the author, someone of the author's region, or a coordinator can log this message."
    )


def submit_log(ctx: Context, values: dict[str, str], state: str) -> Reply:
    with ctx.sessions.begin() as session:
        pilots = {p.key: p for p in list_pilots(session=session, group_id=ctx.group_id)}
        pilot = pilots.get(values.get("pilot", ""))
        errors: dict[str, str] = {}
        if pilot is None:
            errors["pilot"] = "Choose the pilot action this update is about."
        status = values.get("status") or None
        if status is not None and status not in STATUS_LABELS:
            errors["status"] = "Choose on track, delayed or done, or leave it empty."
        what = values.get("text", "").strip()
        if not what:
            errors["text"] = "Say what happened."
        milestone = None
        milestone_ref = values.get("milestone", "").strip()
        if milestone_ref and pilot is not None:
            milestone = form_milestone(ctx, session, pilot, milestone_ref, errors)
        if errors or pilot is None:
            raise FormErrors(errors)
        if not state:
            return _store_for_author(ctx, session, pilot, status, milestone, what)
        return _store_shortcut(ctx, session, json.loads(state), pilot, status, milestone, what)


def by_the_author(ctx: Context, author_name: str | None) -> dict[str, object]:
    """The fields of an update written by the person in ``ctx``, for their region."""
    return {
        "group_id": ctx.group_id,
        "region_id": ctx.region_id,
        "platform": ctx.identity.platform,
        "author_id": ctx.identity.user_id,
        "author_name": author_name,
    }


def _store_for_author(
    ctx: Context,
    session: Session,
    pilot: PilotAction,
    status: str | None,
    milestone: PilotMilestone | None,
    what: str,
) -> Reply:
    """An update logged by command or its form: by the person asking, at this moment."""
    add_update(
        session=session,
        **by_the_author(ctx, ctx.identity.user_name),
        pilot_id=pilot.id,
        text=what,
        status=status,
        milestone_id=milestone.id if milestone else None,
        source="command",
        posted_at=ctx.now,
        created_at=ctx.now,
    )
    return logged_reply(ctx, pilot, status, milestone, what)


def _store_shortcut(
    ctx: Context,
    session: Session,
    message: dict[str, str],
    pilot: PilotAction,
    status: str | None,
    milestone: PilotMilestone | None,
    what: str,
) -> Reply:
    author_id = message["author"]
    _may_log_for(ctx, session, author_id)
    author = get_member(
        session=session, group_id=ctx.group_id, platform=ctx.identity.platform, user_id=author_id
    )
    fields = {
        "pilot_id": pilot.id,
        "status": status,
        "milestone_id": milestone.id if milestone else None,
        "text": what,
    }
    where = {
        "platform": ctx.identity.platform,
        "channel_id": message["channel"],
        "message_id": message["message"],
    }
    existing = find_update(session=session, group_id=ctx.group_id, **where)
    if existing is None:
        created = add_update(
            session=session,
            group_id=ctx.group_id,
            region_id=author.region_id if author else None,
            author_id=author_id,
            author_name=author.display_name if author else None,
            logged_by=ctx.identity.user_id if author_id != ctx.identity.user_id else None,
            source="shortcut",
            permalink=message.get("link") or None,
            posted_at=datetime.fromisoformat(message["posted"]),
            created_at=ctx.now,
            **where,
            **fields,
        )
        if created is None:  # logged by someone else a moment ago: correct theirs
            existing = find_update(session=session, group_id=ctx.group_id, **where)
    if existing is not None:
        _correct(existing, fields, ctx)
    region_name = author.region.name if author and author.region else None
    return logged_reply(
        ctx, pilot, status, milestone, what, author_id=author_id, region_name=region_name
    )


def _correct(update: PilotUpdate, fields: dict[str, object], ctx: Context) -> None:
    """Logging an already logged message again corrects it (and restores it if removed)."""
    for name, value in fields.items():
        setattr(update, name, value)
    update.removed_at = None
    update.edited_at = ctx.now


def message_is_logged(
    sessions: SessionFactory, *, platform: str, channel_id: str, message_id: str
) -> bool:
    """For adapters that mark logged messages (✅) once the form was submitted."""
    with sessions() as session:
        return is_logged(
            session=session, platform=platform, channel_id=channel_id, message_id=message_id
        )
