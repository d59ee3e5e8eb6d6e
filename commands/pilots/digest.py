"""The weekly digest: the week's updates by pilot, silent regions, what is coming up.

Posted every Monday at 09:00 in each group's own zone to the group's channel; shown on demand
with ``/chemclust digest``. ``send_due_digests`` is the time-based part: a scheduler calls it
every few minutes with the clock and one port per platform (the reminders' port), and it
sends whatever digest is due. Groups in different zones are due at different instants, so no
single cron time fits them all; a row per group and week claimed under a unique constraint
makes every digest go out once, whichever process and tick gets there first. The claim has
a lease like a reminder's: a process that dies mid-send leaves a claim that another takes
over, looking for the digest in the channel before posting it (``commands.reminders.once``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.channels import require_reach
from commands.context import CHANNEL, Context
from commands.errors import CommandError, NotAllowed
from commands.pilots.status import SILENT_AFTER, silent_regions
from commands.pilots.views import HOW_TO_LOG, counted, update_line
from commands.port import Mark, RetryLater, Sender, Sent, Target
from commands.reminders.once import deliver, process_id
from commands.reply import Bold, Code, Divider, Paragraph, Reply, Text, When, text
from commands.surface import Surface
from storage.db import SessionFactory
from storage.digests import claim_digest, digest_due, finish_digest
from storage.events import list_events
from storage.group_channels import (
    all_group_channels,
    clear_group_channel,
    group_channel,
    set_group_channel,
)
from storage.models import GroupChannel
from storage.pilot_updates import counts_by_pilot_and_region, recent_updates
from storage.pilots import list_pilots
from storage.text import fold

log = logging.getLogger(__name__)

DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = time(9, 0)
WEEK = timedelta(days=7)
LOOK_AHEAD = timedelta(days=14)
# A digest missed while no process ran is still sent, late, the same day; never days later.
CATCH_UP = timedelta(hours=12)
MAX_ATTEMPTS = 3
# How long a claim on a week's digest holds before another process may take it over.
LEASE = timedelta(minutes=2)
UPDATES_PER_PILOT = 8

CHANNEL_USAGE = (
    "/chemclust channel — the channel you type it in gets the weekly digest\n"
    "/chemclust channel #channel\n"
    "/chemclust channel show\n"
    "/chemclust channel off"
)


def digest_slot(now: datetime, timezone: str) -> datetime:
    """The latest Monday 09:00 (in ``timezone``) at or before ``now``, as an aware datetime."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=(local.weekday() - DIGEST_WEEKDAY) % 7)
    slot = datetime.combine(monday, DIGEST_TIME, tzinfo=zone)
    if slot > local:
        slot = datetime.combine(monday - WEEK, DIGEST_TIME, tzinfo=zone)
    return slot


def build_digest(
    session: Session,
    *,
    group_id: int,
    timezone: str,
    since: datetime,
    until: datetime | None,
    now: datetime,
) -> Reply:
    """The digest of updates posted in [since, until); ``until`` None: up to now, inclusive."""
    pilots = list_pilots(session=session, group_id=group_id)
    week = recent_updates(session=session, group_id=group_id, since=since, until=until)
    heard = counts_by_pilot_and_region(session=session, group_id=group_id, since=now - SILENT_AFTER)
    events = list_events(session=session, group_id=group_id, since=now, until=now + LOOK_AHEAD)
    zone = ZoneInfo(timezone)
    last = now if until is None else until - timedelta(seconds=1)
    first, last = since.astimezone(zone), last.astimezone(zone)
    parts: list = []
    for pilot in pilots:
        updates = [u for u in week if u.pilot_id == pilot.id]
        parts.append(Paragraph(text(Bold(pilot.name), f" · {counted(len(updates), 'update')}")))
        for update in updates[:UPDATES_PER_PILOT]:
            parts.append(Paragraph(update_line(update, timezone=timezone)))
        if len(updates) > UPDATES_PER_PILOT:
            more = len(updates) - UPDATES_PER_PILOT
            parts.append(Paragraph(text(f"…and {more} more: ", Code(f"/pilot status {pilot.key}"))))
    silent = [(pilot, silent_regions(pilot, heard)) for pilot in pilots]
    silent = [(pilot, regions) for pilot, regions in silent if regions]
    parts += [Divider(), Paragraph(text(Bold("Silent for 30 days")))]
    if silent:
        for pilot, regions in silent:
            parts.append(Paragraph(text(f"{pilot.name}: ", ", ".join(r.name for r in regions))))
    else:
        parts.append(Paragraph(text("Every region has reported on its pilots. Thank you!")))
    parts += [Divider(), Paragraph(text(Bold("Coming up in the next two weeks")))]
    if events:
        for event in events:
            when = When(event.starts_at, event.timezone, event.date_precision)
            parts.append(Paragraph(text(when, f" · {event.kind} {event.ref} · ", event.title)))
    else:
        parts.append(Paragraph(text("No workshops, meetings or deadlines scheduled.")))
    silent_count = sum(len(regions) for _, regions in silent)
    return Reply(
        heading=f"Pilot digest {first:%d %b} – {last:%d %b %Y}",
        parts=tuple(parts),
        footnote=(*HOW_TO_LOG, " Details: ", Code("/pilot status"), "."),
        summary=(
            f"Pilot digest: {counted(len(week), 'update')} this week, "
            f"{counted(silent_count, 'silent region')}."
        ),
    )


def digest_reply(ctx: Context) -> Reply:
    """``/chemclust digest``: the digest for the seven days up to now."""
    with ctx.sessions() as session:
        reply = build_digest(
            session,
            group_id=ctx.group_id,
            timezone=ctx.group_timezone,
            since=ctx.now - WEEK,
            until=None,
            now=ctx.now,
        )
    return Reply(
        heading=reply.heading,
        parts=reply.parts,
        footnote=reply.footnote,
        summary=reply.summary,
        private=True,
    )


# The weekly run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestResult:
    group_id: int
    platform: str
    week_of: date
    sent: bool
    error: str | None = None
    # Posted by an earlier attempt whose process died before recording it; not posted again.
    found_earlier: bool = False


def send_due_digests(
    sessions: SessionFactory,
    *,
    now: datetime,
    senders: Mapping[str, Sender],
    claimer: str | None = None,
    lease: timedelta = LEASE,
) -> list[DigestResult]:
    """Send each group's digest that is due and not yet sent (by any process)."""
    with sessions() as session:
        channels = all_group_channels(session=session)
    claimer = claimer or process_id()
    results = []
    for channel in channels:
        if channel.platform not in senders:
            continue
        try:
            result = _send_one(
                sessions,
                channel,
                now=now,
                sender=senders[channel.platform],
                claimer=claimer,
                lease=lease,
            )
        except Exception:
            log.exception("weekly digest of group %s failed", channel.group_id)
            continue
        if result is not None:
            results.append(result)
    return results


def _send_one(
    sessions: SessionFactory,
    channel: GroupChannel,
    *,
    now: datetime,
    sender: Sender,
    claimer: str,
    lease: timedelta,
) -> DigestResult | None:
    timezone = channel.group.timezone
    slot = digest_slot(now, timezone)
    if now - slot >= CATCH_UP:
        return None
    week_of = slot.date()
    key = {"group_id": channel.group_id, "platform": channel.platform, "week_of": week_of}
    with sessions() as session:
        if not digest_due(session=session, max_attempts=MAX_ATTEMPTS, now=now, **key):
            return None
        # Built before the claim: a digest that cannot be built must not block the week.
        reply = build_digest(
            session,
            group_id=channel.group_id,
            timezone=timezone,
            since=slot - WEEK,
            until=slot,
            now=now,
        )
    with sessions.begin() as session:
        run = claim_digest(
            session=session,
            channel_id=channel.channel_id,
            now=now,
            claimer=claimer,
            lease=lease,
            max_attempts=MAX_ATTEMPTS,
            **key,
        )
        if run is None:
            return None  # another process claimed it a moment ago
        run_id, attempts, unconfirmed_since = run.id, run.attempts, run.unconfirmed_since
    outcome = deliver(
        sender,
        Target(channel.platform, channel.conversation),
        reply,
        Mark("digest", run_id),
        unconfirmed_since=unconfirmed_since,
        may_wait=attempts < MAX_ATTEMPTS,
    )
    error = None if isinstance(outcome, Sent) else outcome.reason
    if error is not None:
        log.warning("could not post the weekly digest of group %s: %s", channel.group_id, error)
    with sessions.begin() as session:
        recorded = finish_digest(
            session=session,
            run_id=run_id,
            claimer=claimer,
            now=now,
            error=error,
            unconfirmed=isinstance(outcome, RetryLater) and outcome.unconfirmed,
        )
    if not recorded:
        log.warning("digest %s was attempted, but its claim had passed to another process", run_id)
    found_earlier = isinstance(outcome, Sent) and outcome.found_earlier
    return DigestResult(
        channel.group_id, channel.platform, week_of, error is None, error, found_earlier
    )


# /chemclust channel ---------------------------------------------------------------------------


def channel_command(ctx: Context, arguments: str) -> Reply:
    argument = arguments.strip()
    platform = ctx.identity.platform
    with ctx.sessions() as session:
        current = group_channel(session=session, group_id=ctx.group_id, platform=platform)
    where = _describe(current, ctx)
    if fold(argument) in {"show", "which", "current"}:
        return _channel_reply(where, private=True)
    if not ctx.is_coordinator:
        raise NotAllowed(f"Only a coordinator can choose the group's channel. {where}")
    if fold(argument) in {"off", "none", "stop"}:
        with ctx.sessions.begin() as session:
            cleared = clear_group_channel(session=session, group_id=ctx.group_id, platform=platform)
        message = (
            "The weekly digest is off: no channel is set."
            if cleared
            else "No channel was set; the weekly digest was already off."
        )
        return _channel_reply(message, private=True)
    if argument:
        mention = ctx.mentioned(argument, CHANNEL)
        if mention is None:
            raise CommandError(
                f"“{argument}” is not a channel I can recognise; mention it with #.",
                usage=CHANNEL_USAGE,
            )
        channel_id, channel_name = mention.id, mention.name if mention.name != mention.id else None
    else:
        if not ctx.identity.channel_id:
            raise CommandError(
                "Run this in the channel that should get the weekly digest.",
                usage=CHANNEL_USAGE,
            )
        channel_id, channel_name = ctx.identity.channel_id, None
    require_reach(ctx, channel_id, posting="the weekly digest")
    with ctx.sessions.begin() as session:
        set_group_channel(
            session=session,
            group_id=ctx.group_id,
            platform=platform,
            channel_id=channel_id,
            channel_name=channel_name,
            set_by=ctx.identity.user_id,
            now=ctx.now,
            workspace_id=ctx.identity.workspace_id,
        )
    target = "This channel" if channel_id == ctx.identity.channel_id else f"#{channel_name}"
    if channel_name is None and channel_id != ctx.identity.channel_id:
        target = f"Channel {channel_id}"
    return Reply(
        parts=(
            Paragraph(
                text(
                    f"{target} is now the {ctx.group_name}'s channel: the pilot digest is posted "
                    f"here every Monday at 09:00 ({ctx.group_timezone})."
                )
            ),
            Paragraph(_how_the_bot_posts(ctx.surface)),
        ),
        summary="Group channel set.",
    )


def _how_the_bot_posts(surface: Surface) -> Text:
    see_it = (" See it now with ", Code("/chemclust digest"), ".")
    if surface.posts_where_addressed:
        return text(
            "The digest is posted into this conversation (in a channel, this thread).", *see_it
        )
    if surface.invite_command:
        return text(
            "The bot must be a member of the channel to post: ",
            Code(surface.invite_command),
            ".",
            *see_it,
        )
    return text("The bot must be a member of the channel to post.", *see_it)


def _describe(current: GroupChannel | None, ctx: Context) -> str:
    if current is None:
        return "No channel is set, so the weekly digest is off."
    if current.channel_id == ctx.identity.channel_id:
        name = "this channel"
    elif current.channel_name:
        name = f"#{current.channel_name}"
    else:
        name = f"channel {current.channel_id}"
    return f"The weekly digest goes to {name}, every Monday at 09:00 ({ctx.group_timezone})."


def _channel_reply(message: str, *, private: bool) -> Reply:
    return Reply(private=private, parts=(Paragraph(text(message)),), summary=message)
