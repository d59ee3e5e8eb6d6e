"""The dispatcher: claim one due reminder row at a time, send it through a port, record it.

Guarantees, and how:
- *Once*: a row is claimed by one statement (``storage.reminders.claim_next``) and committed
  before anything is sent; outcomes are recorded only while the claim is still ours. Two
  processes on one PostgreSQL never send the same row. A process that dies after the
  platform took a message but before recording it leaves a claim that lapses after
  ``lease``; the process that takes the row over first asks the port for a message carrying
  the row's mark (``once``): on Slack it finds the message and records it, instead of
  sending it again. Platforms that cannot look (Teams, the console) send it again: there a
  crash mid-send means at least once.
- *Nothing lost*: rows are data; whatever fell due while no process ran is claimed at the
  next run and marked late. A lead-time reminder whose event has already begun is skipped
  (and logged): "starts in 1 hour" after the start helps nobody. The "0m" reminder and
  deadline chases are still sent, late.
- *Failures*: a passing failure (429, 5xx, no connection) puts the row back with a back-off
  that honours Retry-After; after ``give_up_after`` of failures, or at once for a failure
  waiting cannot cure, the row is recorded as failed and the coordinators are told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.reminders import messages
from commands.reminders.notices import decide_owned, render_notice
from commands.reminders.once import deliver, process_id
from commands.reminders.port import Mark, RetryLater, Sender, Sent, Target, Undeliverable
from commands.reminders.rows import direct_message_row
from commands.reply import Reply
from storage.db import SessionFactory
from storage.events import coordinators, get_event, members_of_regions, missing_regions
from storage.models import CANCELLED, Event, Region, Reminder
from storage.reminders import (
    add_once,
    claim_next,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_skipped,
)

log = logging.getLogger(__name__)

# A reminder sent more than this after its due time says that it is late (processes pass a
# value that fits how often they dispatch).
LATE_AFTER = timedelta(minutes=2)
# A chase is daily; one that is a day overdue has been overtaken by the next.
CHASE_STALE_AFTER = timedelta(days=1)
BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=5)


@dataclass
class DispatchReport:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    late: int = 0  # of ``sent``, those sent after their time
    notes: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.retried + self.failed


@dataclass(frozen=True)
class _Decision:
    """What to do with a claimed row: send ``reply`` (maybe None = nothing to post), or skip."""

    reply: Reply | None = None
    skip: str | None = None
    fan_out: bool = False


class Dispatcher:
    def __init__(
        self,
        sessions: SessionFactory,
        senders: Mapping[str, Sender],
        *,
        clock: Callable[[], datetime],
        claimer: str | None = None,
        lease: timedelta = timedelta(minutes=2),
        give_up_after: timedelta = timedelta(hours=1),
        late_after: timedelta = LATE_AFTER,
        max_per_run: int = 500,
        stopping: Callable[[], bool] = lambda: False,
    ):
        self.sessions = sessions
        self.senders = dict(senders)
        self.clock = clock
        self.claimer = claimer or process_id()
        self.lease = lease
        self.give_up_after = give_up_after
        self.late_after = late_after
        self.max_per_run = max_per_run
        # True once the process is stopping: finish the row in hand, claim no more.
        self.stopping = stopping

    def run_once(self) -> DispatchReport:
        """Send everything due now (bounded by ``max_per_run``); safe to call at any time."""
        report = DispatchReport()
        for _ in range(self.max_per_run):
            if self.stopping():
                break
            with self.sessions.begin() as session:
                reminder = claim_next(
                    session=session,
                    platforms=self.senders,
                    now=self.clock(),
                    claimer=self.claimer,
                    lease=self.lease,
                )
            if reminder is None:
                break
            try:
                self._handle(reminder, report)
            except Exception:
                # A bug in one row must not stop the others; its claim lapses and it is retried.
                log.exception("reminder %s could not be handled", reminder.id)
        return report

    # One row ---------------------------------------------------------------------------

    def _handle(self, reminder: Reminder, report: DispatchReport) -> None:
        now = self.clock()
        late = now - reminder.due_at > self.late_after
        with self.sessions() as session:
            event = (
                get_event(session=session, event_id=reminder.event_id)
                if reminder.event_id
                else None
            )
            decision = self._decide(session, reminder, event, now=now, late=late)
        if decision.skip is not None:
            log.info("reminder %s skipped: %s", reminder.id, decision.skip)
            with self.sessions.begin() as session:
                mark_skipped(
                    session=session,
                    reminder_id=reminder.id,
                    claimer=self.claimer,
                    reason=decision.skip,
                )
            report.skipped += 1
            report.notes.append(f"skipped {reminder.id}: {decision.skip}")
            return
        message_ref = None
        if decision.reply is not None:
            outcome = deliver(
                self.senders[reminder.platform],
                Target(reminder.platform, dict(reminder.target)),
                decision.reply,
                Mark("reminder", reminder.id),
                unconfirmed_since=reminder.unconfirmed_since,
                may_wait=not self._gives_up(reminder, now),
            )
            if isinstance(outcome, RetryLater):
                self._retry_or_fail(reminder, event, outcome, report)
                return
            if isinstance(outcome, Undeliverable):
                self._fail(reminder, event, outcome.reason, report)
                return
            message_ref = outcome.message_ref if isinstance(outcome, Sent) else None
            if isinstance(outcome, Sent) and outcome.found_earlier:
                report.notes.append(f"{reminder.id}: already posted before a crash ({message_ref})")
        with self.sessions.begin() as session:
            recorded = mark_sent(
                session=session,
                reminder_id=reminder.id,
                claimer=self.claimer,
                now=self.clock(),
                message_ref=message_ref,
                late=late,
            )
            if recorded and decision.fan_out and event is not None:
                count = self._fan_out(session, reminder, event, now=now)
                report.notes.append(f"{reminder.id}: {count} direct message(s)")
        if not recorded:
            log.warning(
                "reminder %s was sent, but its claim had passed to another process", reminder.id
            )
        if late:
            log.info("reminder %s sent late (due %s)", reminder.id, reminder.due_at.isoformat())
            report.late += 1
        report.sent += 1

    def _decide(
        self,
        session: Session,
        reminder: Reminder,
        event: Event | None,
        *,
        now: datetime,
        late: bool,
    ) -> _Decision:
        payload = reminder.payload or {}
        owned = decide_owned(session, reminder, now=now, late=late)  # another feature's row
        if owned is not None:
            return _Decision(*owned)
        if reminder.kind == "notice":
            reply = self._notice(session, reminder, event)
            if reply is None:
                return _Decision(skip="the notice has nothing left to say")
            return _Decision(reply=reply)
        if event is None:
            return _Decision(skip="its event no longer exists")
        if event.status == CANCELLED:
            return _Decision(skip="the event was cancelled")
        if payload.get("event_sequence") != event.sequence:
            return _Decision(skip="the event was moved; the new time has its own reminders")
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
                return _Decision(skip="the event had already begun when it could be sent")
            return _Decision(
                reply=messages.lead_reminder(event, reminder, late=late),
                fan_out=bool(payload.get("direct")),
            )
        if reminder.kind == "chase":
            if now - reminder.due_at > CHASE_STALE_AFTER:
                return _Decision(skip="a later daily chase took its place")
            if not missing_regions(event):
                return _Decision(skip="every region has delivered")
            return _Decision(reply=None, fan_out=True)
        if reminder.kind == "direct":
            region = session.get(Region, payload.get("region_id"))
            if region is None or region.id not in {r.id for r in missing_regions(event)}:
                return _Decision(skip="the region has delivered")
            if payload.get("chase") and now - reminder.due_at > CHASE_STALE_AFTER:
                return _Decision(skip="a later daily chase took its place")
            if not payload.get("chase") and int(payload.get("lead_minutes", 0)) > 0 and started:
                return _Decision(skip="the deadline had already passed when it could be sent")
            return _Decision(
                reply=messages.direct_reminder(event, region, reminder, now=now, late=late)
            )
        return _Decision(skip=f"unknown reminder kind {reminder.kind!r}")

    def _notice(self, session: Session, row: Reminder, event: Event | None) -> Reply | None:
        payload = row.payload or {}
        match payload.get("notice"):
            case "cancelled" if event is not None:
                return messages.cancelled_notice(event)
            case "moved" if event is not None:
                return messages.moved_notice(event, datetime.fromisoformat(payload["previous"]))
            case "failed":
                # What to check is the failed sender's to say, in its platform's words.
                sender = self.senders.get(payload.get("platform", ""))
                return messages.failure_notice(payload, event, getattr(sender, "failure_hint", ""))
        return render_notice(payload.get("notice"), session, row.group_id, payload)

    def _fan_out(self, session: Session, parent: Reminder, event: Event, *, now: datetime) -> int:
        """One direct message per member of each region still missing, each a row of its own
        (so each is sent once, retried alone, and recorded with its own message)."""
        missing = {r.id: r for r in missing_regions(event)}
        count = 0
        for member in members_of_regions(
            session=session, group_id=event.group_id, region_ids=missing
        ):
            payload = {
                "event_sequence": parent.payload.get("event_sequence"),
                "region_id": member.region_id,
                "lead_minutes": parent.payload.get("lead_minutes", 0),
                "chase": parent.kind == "chase",
            }
            row = direct_message_row(
                member,
                about=parent,
                kind="direct",
                due_at=parent.due_at,
                not_before=now,
                payload=payload,
                dedupe_key=f"{parent.id}:{member.platform}:{member.platform_user_id}",
                parent_id=parent.id,
            )
            if add_once(session=session, reminder=row) is not None:
                count += 1
        return count

    # Failures --------------------------------------------------------------------------

    def _retry_or_fail(
        self, reminder: Reminder, event: Event | None, outcome: RetryLater, report: DispatchReport
    ) -> None:
        now = self.clock()
        first_failure = reminder.first_failure_at or now
        if self._gives_up(reminder, now):
            self._fail(
                reminder,
                event,
                f"still failing after {self.give_up_after}: {outcome.reason}",
                report,
            )
            return
        backoff = min(BACKOFF_FIRST * (2 ** max(reminder.attempts - 1, 0)), BACKOFF_MAX)
        if outcome.after_seconds is not None:
            backoff = max(backoff, timedelta(seconds=outcome.after_seconds))
        with self.sessions.begin() as session:
            mark_retry(
                session=session,
                reminder_id=reminder.id,
                claimer=self.claimer,
                not_before=now + backoff,
                first_failure_at=first_failure,
                reason=outcome.reason,
                unconfirmed=outcome.unconfirmed,
            )
        log.warning(
            "reminder %s not sent (%s); next try in %ss",
            reminder.id,
            outcome.reason,
            int(backoff.total_seconds()),
        )
        report.retried += 1

    def _gives_up(self, reminder: Reminder, now: datetime) -> bool:
        """A row failing for ``give_up_after`` is not tried again."""
        return now - (reminder.first_failure_at or now) >= self.give_up_after

    def _fail(
        self, reminder: Reminder, event: Event | None, reason: str, report: DispatchReport
    ) -> None:
        target = Target(reminder.platform, dict(reminder.target))
        log.error("reminder %s to %s failed for good: %s", reminder.id, target.label, reason)
        with self.sessions.begin() as session:
            mark_failed(
                session=session, reminder_id=reminder.id, claimer=self.claimer, reason=reason
            )
            if reminder.kind != "notice":  # a failed notice about a failure must not breed more
                told = self._tell_coordinators(session, reminder, target, reason)
                if not told:
                    log.error(
                        "no coordinator on %s to tell about failed reminder %s",
                        reminder.platform,
                        reminder.id,
                    )
        report.failed += 1

    def _tell_coordinators(
        self, session: Session, reminder: Reminder, target: Target, reason: str
    ) -> int:
        payload = {
            "notice": "failed",
            "failed_id": reminder.id,
            "platform": reminder.platform,
            "target": target.label,
            "reason": reason[:300],
            "due_at": reminder.due_at.isoformat(),
        }
        told = 0
        for member in coordinators(
            session=session, group_id=reminder.group_id, platform=reminder.platform
        ):
            now = self.clock()
            row = direct_message_row(
                member,
                about=reminder,
                kind="notice",
                due_at=now,
                not_before=now,
                payload=payload,
                # One notice per event and unreachable target: the daily chases of a person
                # who cannot be reached must not tell the coordinators the same thing each day.
                dedupe_key=(
                    f"failed:{reminder.event_id or reminder.id}:{target.label}:"
                    f"{member.platform}:{member.platform_user_id}"
                )[:200],
            )
            if add_once(session=session, reminder=row) is not None:
                told += 1
        return told
