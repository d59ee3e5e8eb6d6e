"""Recording what became of a batch of claimed reminder rows, in one transaction.

Sent rows are recorded by one statement; the rarer outcomes row by row: a retry with its
back-off, a failure with a notice to the coordinators, a fan-out of direct messages. Every
outcome is recorded only while the claim is still ours (``storage.claims``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.port import Outcome, RetryLater, Sent, Target, Undeliverable
from commands.reminders.dispatch_decide import Decision
from storage.db import SessionFactory
from storage.events import coordinators, members_of_regions, missing_regions
from storage.models import Event, Member, Reminder
from storage.reminders import (
    add_once,
    mark_failed,
    mark_retry,
    mark_sent_many,
    mark_skipped,
    release,
)

log = logging.getLogger("commands.reminders.dispatch")

BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=5)


@dataclass
class DispatchReport:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0  # claimed, but handed back untried (not counted as handled)
    late: int = 0  # of ``sent``, those sent after their time
    notes: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.retried + self.failed


@dataclass
class Outcomes:
    """What part of a batch came to, waiting to be recorded."""

    skipped: list[tuple[Reminder, str]] = field(default_factory=list)
    # (row, its decision, the platform's outcome: None when there was nothing to post)
    delivered: list[tuple[Reminder, Decision, Outcome | None]] = field(default_factory=list)
    released: list[Reminder] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.skipped) + len(self.delivered) + len(self.released)


@dataclass
class Recorder:
    sessions: SessionFactory
    claimer: str
    clock: Callable[[], datetime]
    give_up_after: timedelta
    late_after: timedelta

    def late(self, reminder: Reminder, now: datetime) -> bool:
        return now - reminder.due_at > self.late_after

    def gives_up(self, reminder: Reminder, now: datetime) -> bool:
        """A row failing for ``give_up_after`` is not tried again."""
        return now - (reminder.first_failure_at or now) >= self.give_up_after

    def record(
        self,
        outcomes: Outcomes,
        events: dict[int, Event],
        report: DispatchReport,
        *,
        now: datetime,
    ) -> None:
        """Record ``outcomes`` in one transaction (``now``: when the batch was decided)."""
        if not len(outcomes):
            return
        with self.sessions.begin() as session:
            for reminder, reason in outcomes.skipped:
                log.info("reminder %s skipped: %s", reminder.id, reason)
                mark_skipped(
                    session=session, reminder_id=reminder.id, claimer=self.claimer, reason=reason
                )
                report.skipped += 1
                report.notes.append(f"skipped {reminder.id}: {reason}")
            sent: list[tuple[Reminder, Decision, Sent | None]] = []
            for reminder, decision, outcome in outcomes.delivered:
                event = events.get(reminder.event_id) if reminder.event_id else None
                if isinstance(outcome, RetryLater):
                    self._retry_or_fail(session, reminder, event, outcome, report)
                elif isinstance(outcome, Undeliverable):
                    self._fail(session, reminder, event, outcome.reason, report)
                else:
                    sent.append((reminder, decision, outcome))
            self._sent(session, sent, events, report, now=now)
            if outcomes.released:
                release(
                    session=session,
                    reminder_ids=[r.id for r in outcomes.released],
                    claimer=self.claimer,
                )
                report.released += len(outcomes.released)

    def _sent(
        self,
        session: Session,
        sent: list[tuple[Reminder, Decision, Sent | None]],
        events: dict[int, Event],
        report: DispatchReport,
        *,
        now: datetime,
    ) -> None:
        recorded = mark_sent_many(
            session=session,
            claimer=self.claimer,
            now=self.clock(),
            message_refs={
                row.id: outcome.message_ref if outcome else None for row, _, outcome in sent
            },
            late={row.id for row, _, _ in sent if self.late(row, now)},
        )
        for reminder, decision, outcome in sent:
            if outcome is not None and outcome.found_earlier:
                report.notes.append(
                    f"{reminder.id}: already posted before a crash ({outcome.message_ref})"
                )
            event = events.get(reminder.event_id) if reminder.event_id else None
            if reminder.id not in recorded:
                log.warning(
                    "reminder %s was sent, but its claim had passed to another process",
                    reminder.id,
                )
            elif decision.fan_out and event is not None:
                count = self._fan_out(session, reminder, event, now=now)
                report.notes.append(f"{reminder.id}: {count} direct message(s)")
            if self.late(reminder, now):
                log.info("reminder %s sent late (due %s)", reminder.id, reminder.due_at.isoformat())
                report.late += 1
            report.sent += 1

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
            row = _direct_message(
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
        self,
        session: Session,
        reminder: Reminder,
        event: Event | None,
        outcome: RetryLater,
        report: DispatchReport,
    ) -> None:
        now = self.clock()
        first_failure = reminder.first_failure_at or now
        if self.gives_up(reminder, now):
            reason = f"still failing after {self.give_up_after}: {outcome.reason}"
            self._fail(session, reminder, event, reason, report)
            return
        backoff = min(BACKOFF_FIRST * (2 ** max(reminder.attempts - 1, 0)), BACKOFF_MAX)
        if outcome.after_seconds is not None:
            backoff = max(backoff, timedelta(seconds=outcome.after_seconds))
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

    def _fail(
        self,
        session: Session,
        reminder: Reminder,
        event: Event | None,
        reason: str,
        report: DispatchReport,
    ) -> None:
        target = Target(reminder.platform, dict(reminder.target))
        log.error("reminder %s to %s failed for good: %s", reminder.id, target.label, reason)
        mark_failed(session=session, reminder_id=reminder.id, claimer=self.claimer, reason=reason)
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
            row = _direct_message(
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


def _direct_message(
    member: Member,
    *,
    about: Reminder,
    kind: str,
    due_at: datetime,
    not_before: datetime,
    payload: dict,
    dedupe_key: str,
    parent_id: int | None = None,
) -> Reminder:
    """A pending row that messages ``member`` directly about ``about``'s event."""
    return Reminder(
        group_id=about.group_id,
        event_id=about.event_id,
        kind=kind,
        due_at=due_at,
        not_before=not_before,
        platform=member.platform,
        target=member.conversation,
        payload=payload,
        dedupe_key=dedupe_key,
        parent_id=parent_id,
    )
