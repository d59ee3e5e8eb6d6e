"""The dispatcher: claim due reminder rows in batches, post them, record what became of them.

Guarantees, and how:
- *Once*: a batch of rows is claimed by one statement (``storage.reminders.claim_due``) and
  committed before anything is sent; outcomes are recorded only while the claim is still
  ours. Two processes on one PostgreSQL never send the same row. A process that dies after
  the platform took a message but before recording it leaves a claim that lapses after
  ``lease``; the process that takes the row over first asks the port for a message carrying
  the row's mark (``once``): on Slack it finds the message and records it, instead of
  sending it again. Platforms that cannot look (Teams, the console) send it again: there a
  crash mid-send means at least once. A row whose turn would come after half its lease is
  handed back untried (``dispatch_send``), so a claim does not lapse while its holder may
  still post.
- *Nothing lost*: rows are data; whatever fell due while no process ran is claimed at the
  next run and marked late. A lead-time reminder whose event has already begun is skipped
  (and logged): "starts in 1 hour" after the start helps nobody. The "0m" reminder and
  deadline chases are still sent, late (``dispatch_decide``).
- *Failures*: a passing failure (429, 5xx, no connection) puts the row back with a back-off
  that honours Retry-After; after ``give_up_after`` of failures, or at once for a failure
  waiting cannot cure, the row is recorded as failed and the coordinators are told
  (``dispatch_record``).
- *Pace*: a batch's events are read in one round of queries, its conversations are posted
  to at once (each conversation in order, at the port's pace), and outcomes are recorded
  some dozens of rows to a transaction while the rest are still being posted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from commands.reminders.dispatch_decide import CHASE_STALE_AFTER, decide
from commands.reminders.dispatch_record import DispatchReport, Outcomes, Recorder
from commands.reminders.dispatch_send import Post, parallel, send_batch
from commands.reminders.once import process_id
from commands.reminders.port import Sender
from storage.db import SessionFactory
from storage.events import get_events
from storage.models import Reminder
from storage.reminders import claim_due

log = logging.getLogger(__name__)

__all__ = ["CHASE_STALE_AFTER", "LATE_AFTER", "DispatchReport", "Dispatcher"]

# A reminder sent more than this after its due time says that it is late (processes pass a
# value that fits how often they dispatch).
LATE_AFTER = timedelta(minutes=2)
# Outcomes recorded by one transaction at most (a batch larger than this is recorded in parts
# while the rest of it is still being posted).
RECORD_EVERY = 50


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
        max_per_run: int = 2000,
        batch_rows: int | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.sessions = sessions
        self.senders = dict(senders)
        self.clock = clock
        self.claimer = claimer or process_id()
        self.lease = lease
        self.max_per_run = max_per_run
        # Rows claimed by one statement: by default as many as the ports post at once. More
        # would wait in this process's claim while another process might be idle, and a
        # process killed mid-batch would leave more rows to be looked up before posting.
        self.batch_rows = batch_rows or sum(parallel(sender) for sender in self.senders.values())
        self.monotonic = monotonic
        self.recorder = Recorder(
            sessions,
            self.claimer,
            clock,
            give_up_after=give_up_after,
            late_after=late_after,
        )

    def run_once(self) -> DispatchReport:
        """Send everything due now (bounded by ``max_per_run`` rows); safe to call at any time.

        Rows a batch adds (direct messages, notices to coordinators) go out in the same run
        when they are due.
        """
        report = DispatchReport()
        claimed = 0
        while claimed < self.max_per_run:
            with self.sessions.begin() as session:
                batch = claim_due(
                    session=session,
                    platforms=self.senders,
                    now=self.clock(),
                    claimer=self.claimer,
                    lease=self.lease,
                    limit=min(self.batch_rows, self.max_per_run - claimed),
                )
            if not batch:
                break
            claimed += len(batch)
            # Half the lease to post in: a row not posted by then is handed back rather than
            # posted while another process may be taking it over.
            deadline = self.monotonic() + self.lease.total_seconds() / 2
            released_before = report.released
            self._dispatch(batch, report, deadline=deadline)
            if report.released - released_before == len(batch):
                break  # nothing could be posted in time: the next run tries again
        return report

    def _dispatch(self, batch: list[Reminder], report: DispatchReport, *, deadline: float) -> None:
        now = self.clock()
        with self.sessions() as session:
            events = get_events(
                session=session, event_ids={r.event_id for r in batch if r.event_id}
            )
        outcomes = Outcomes()
        posts: list[Post] = []
        for reminder in batch:
            event = events.get(reminder.event_id) if reminder.event_id else None
            try:
                decision = decide(reminder, event, now=now, late=self.recorder.late(reminder, now))
            except Exception:
                # A bug in one row must not stop the others; its claim lapses and it is retried.
                log.exception("reminder %s could not be handled", reminder.id)
                continue
            if decision.skip is not None:
                outcomes.skipped.append((reminder, decision.skip))
            elif decision.reply is None:
                outcomes.delivered.append((reminder, decision, None))
            else:
                may_wait = not self.recorder.gives_up(reminder, now)
                posts.append(Post(reminder, decision, may_wait=may_wait))
        for post, outcome in send_batch(
            posts, self.senders, deadline=deadline, monotonic=self.monotonic
        ):
            if outcome is None:
                outcomes.released.append(post.reminder)
            else:
                outcomes.delivered.append((post.reminder, post.decision, outcome))
            if len(outcomes) >= RECORD_EVERY:
                self.recorder.record(outcomes, events, report, now=now)
                outcomes = Outcomes()
        self.recorder.record(outcomes, events, report, now=now)
