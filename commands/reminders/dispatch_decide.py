"""What a claimed reminder row comes to when its turn comes: a message to post, or a skip.

Decided from the row and its event as they are now (loaded for the whole batch at once), so
that a moved, cancelled or delivered deadline stops its reminders without touching them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.port import Sender
from commands.reminders import messages
from commands.reminders.notices import decide_owned, render_notice
from commands.reply import Reply
from storage.events import missing_regions
from storage.models import CANCELLED, Event, Reminder

log = logging.getLogger("commands.reminders.dispatch")

# A chase is daily; one that is a day overdue has been overtaken by the next.
CHASE_STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Decision:
    """Post ``reply`` (None: nothing to post, only ``fan_out``), or skip for ``skip``'s reason.

    ``fan_out``: once recorded, add a direct message for each member of a region still missing.
    """

    reply: Reply | None = None
    skip: str | None = None
    fan_out: bool = False


def decide(
    session: Session,
    reminder: Reminder,
    event: Event | None,
    *,
    now: datetime,
    late: bool,
    senders: Mapping[str, Sender],
) -> Decision:
    payload = reminder.payload or {}
    owned = decide_owned(session, reminder, now=now, late=late)  # another feature's row
    if owned is not None:
        return Decision(*owned)
    if reminder.kind == "notice":
        reply = notice(session, reminder, event, senders)
        if reply is None:
            return Decision(skip="the notice has nothing left to say")
        return Decision(reply=reply)
    if event is None:
        return Decision(skip="its event no longer exists")
    if event.status == CANCELLED:
        return Decision(skip="the event was cancelled")
    if payload.get("event_sequence") != event.sequence:
        return Decision(skip="the event was moved; the new time has its own reminders")
    started = now >= event.starts_at
    if reminder.kind == "lead":
        minutes = int(payload.get("lead_minutes", 0))
        if minutes > 0 and started:
            log.warning(
                "lead-time reminder %s (%s before %s %s) skipped: the event has already begun",
                reminder.id,
                minutes,
                event.ref,
                event.title,
            )
            return Decision(skip="the event had already begun when it could be sent")
        return Decision(
            reply=messages.lead_reminder(event, reminder, late=late),
            fan_out=bool(payload.get("direct")),
        )
    if reminder.kind == "chase":
        if now - reminder.due_at > CHASE_STALE_AFTER:
            return Decision(skip="a later daily chase took its place")
        if not missing_regions(event):
            return Decision(skip="every region has delivered")
        return Decision(reply=None, fan_out=True)
    if reminder.kind == "direct":
        missing = {region.id: region for region in missing_regions(event)}
        region = missing.get(payload.get("region_id"))
        if region is None:
            return Decision(skip="the region has delivered")
        if payload.get("chase") and now - reminder.due_at > CHASE_STALE_AFTER:
            return Decision(skip="a later daily chase took its place")
        if not payload.get("chase") and int(payload.get("lead_minutes", 0)) > 0 and started:
            return Decision(skip="the deadline had already passed when it could be sent")
        return Decision(reply=messages.direct_reminder(event, region, reminder, now=now, late=late))
    return Decision(skip=f"unknown reminder kind {reminder.kind!r}")


def notice(
    session: Session, reminder: Reminder, event: Event | None, senders: Mapping[str, Sender]
) -> Reply | None:
    payload = reminder.payload or {}
    match payload.get("notice"):
        case "cancelled" if event is not None:
            return messages.cancelled_notice(event)
        case "moved" if event is not None:
            return messages.moved_notice(event, datetime.fromisoformat(payload["previous"]))
        case "failed":
            # What to check is the failed sender's to say, in its platform's words.
            sender = senders.get(payload.get("platform", ""))
            return messages.failure_notice(payload, event, getattr(sender, "failure_hint", ""))
    return render_notice(payload.get("notice"), session, reminder.group_id, payload)
