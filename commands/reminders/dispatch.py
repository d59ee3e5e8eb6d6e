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
  to at once (each conversation in order, at the port's pace), its outcomes are recorded by
  one transaction, and the database work of the batches before and after it is done while
  it is being posted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.port import Sender
from commands.reminders.dispatch_decide import CHASE_STALE_AFTER, Decision, decide
from commands.reminders.dispatch_record import DispatchReport, Outcomes, Recorder
from commands.reminders.dispatch_send import Post, Poster, Result, parallel
from commands.reminders.once import process_id
from storage.db import SessionFactory
from storage.events import get_events
from storage.models import Event, Reminder
from storage.reminders import claim_due

log = logging.getLogger(__name__)

ROUNDS_PER_BATCH = 4

__all__ = ["CHASE_STALE_AFTER", "LATE_AFTER", "DispatchReport", "Dispatcher"]

# A reminder sent more than this after its due time says that it is late (processes pass a
# value that fits how often they dispatch).
LATE_AFTER = timedelta(minutes=2)


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
        stopping: Callable[[], bool] = lambda: False,
    ):
        self.sessions = sessions
        self.senders = dict(senders)
        self.clock = clock
        self.claimer = claimer or process_id()
        self.lease = lease
        self.max_per_run = max_per_run
        # Rows a batch claims per platform (``batch_rows`` sets the same for every platform).
        self.batch_rows = {
            platform: batch_rows or default_batch_rows(sender)
            for platform, sender in self.senders.items()
        }
        self.monotonic = monotonic
        # True once the process is stopping: finish the batch in hand, claim no more.
        self.stopping = stopping
        self.poster = Poster(self.senders, monotonic=monotonic)
        self.recorder = Recorder(
            sessions,
            self.claimer,
            clock,
            give_up_after=give_up_after,
            late_after=late_after,
        )

    def run_once(self) -> DispatchReport:
        """Send everything due now (bounded by ``max_per_run`` rows); safe to call at any time.

        Batches overlap: while one is posted, the one before is recorded and the next one
        claimed. Rows a batch adds (direct messages, notices to coordinators) go out in the
        same run when they are due.
        """
        report = DispatchReport()
        run = _Run()
        batch: _Batch | None = None
        previous: _Batch | None = None
        while True:
            if batch is None:
                if previous is not None:
                    self._record(previous, report, run)
                    previous = None
                batch = self._claim(run)
                if batch is None:
                    return report
            posting = self.poster.start(batch.posts, deadline=batch.deadline)
            if previous is not None:
                self._record(previous, report, run)
            # Only a full batch says more is waiting: claiming ahead otherwise would take rows
            # another process could be posting meanwhile (and a port that posts one message
            # at a time gains nothing from it).
            upcoming = self._claim(run) if batch.full else None
            batch.results = list(posting.results())
            previous, batch = batch, upcoming

    def _claim(self, run: _Run) -> _Batch | None:
        """The next batch, claimed and decided; None when nothing (more) is due."""
        if run.claimed >= self.max_per_run or run.stalled or self.stopping():
            return None
        rows: list[Reminder] = []
        full = False
        with self.sessions.begin() as session:
            for platform, limit in self.batch_rows.items():
                limit = min(limit, self.max_per_run - run.claimed - len(rows))
                claimed = claim_due(
                    session=session,
                    platforms=[platform],
                    now=self.clock(),
                    claimer=self.claimer,
                    lease=self.lease,
                    limit=limit,
                )
                rows += claimed
                full = full or (limit > 1 and len(claimed) == limit)
        if not rows:
            return None
        run.claimed += len(rows)
        # Half the lease to post in: a row not posted by then is handed back rather than
        # posted while another process may be taking it over.
        batch = _Batch(
            now=self.clock(), deadline=self.monotonic() + self.lease / 2 / SECOND, full=full
        )
        with self.sessions() as session:
            batch.events = get_events(
                session=session, event_ids={r.event_id for r in rows if r.event_id}
            )
            decisions = [self._decide(session, reminder, batch) for reminder in rows]
        for reminder, decision in zip(rows, decisions, strict=True):
            if decision is None:
                continue
            if decision.skip is not None:
                batch.outcomes.skipped.append((reminder, decision.skip))
            elif decision.reply is None:
                batch.outcomes.delivered.append((reminder, decision, None))
            else:
                may_wait = not self.recorder.gives_up(reminder, batch.now)
                batch.posts.append(Post(reminder, decision, may_wait=may_wait))
        return batch

    def _decide(self, session: Session, reminder: Reminder, batch: _Batch) -> Decision | None:
        event = batch.events.get(reminder.event_id) if reminder.event_id else None
        late = self.recorder.late(reminder, batch.now)
        try:
            return decide(session, reminder, event, now=batch.now, late=late, senders=self.senders)
        except Exception:
            # A bug in one row must not stop the others; its claim lapses and it is retried.
            log.exception("reminder %s could not be handled", reminder.id)
            return None

    def _record(self, batch: _Batch, report: DispatchReport, run: _Run) -> None:
        for post, outcome in batch.results:
            if outcome is None:
                batch.outcomes.released.append(post.reminder)
            else:
                batch.outcomes.delivered.append((post.reminder, post.decision, outcome))
        self.recorder.record(batch.outcomes, batch.events, report, now=batch.now)
        if batch.posts and len(batch.outcomes.released) == len(batch.posts):
            run.stalled = True  # nothing could be posted in time: the next run tries again


SECOND = timedelta(seconds=1)


def default_batch_rows(sender: Sender) -> int:
    """Rows of a platform claimed by one statement: a few rounds of what a port that posts
    several messages at once has in flight, so that claims and commits cost little per row;
    one for a port that posts one at a time. Not many more: rows waiting in this process's
    claim may leave another process idle, and a process killed mid-batch leaves its batch to
    be looked up before it is posted again."""
    return ROUNDS_PER_BATCH * parallel(sender) if parallel(sender) > 1 else 1


@dataclass
class _Run:
    claimed: int = 0
    stalled: bool = False


@dataclass
class _Batch:
    """Claimed rows as decided: what to post, what is settled without posting, and (once
    posted) each post's outcome."""

    now: datetime
    deadline: float
    full: bool  # a platform had as many rows as a batch may take (above one): more are due
    events: dict[int, Event] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    outcomes: Outcomes = field(default_factory=Outcomes)
    results: list[Result] = field(default_factory=list)
