"""Helpers for event and reminder tests: a clock to move by hand, a sender that records."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commands import build_registry
from commands.core import Core
from commands.port import CannotTell, Lookup, Mark, Outcome, Sent, Target
from commands.reply import Reply
from storage.db import SessionFactory
from tests.conftest import COORDINATOR_ID


class Clock:
    """A clock tests move forward explicitly."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class RecordingSender:
    """A sending port that records every message, answering with scripted outcomes first.

    ``find`` answers with scripted ``lookups`` first, then like a platform without history.
    """

    outcomes: list[Outcome] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)
    sent: list[tuple[Target, Reply]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    searched: list[tuple[Mark, datetime]] = field(default_factory=list)
    attempts: int = 0
    parallel: int = 1  # posts the dispatcher may have in flight at once through this port
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, target: Target, reply: Reply, mark: Mark) -> Outcome:
        with self._lock:
            self.attempts += 1
            if self.outcomes:
                return self.outcomes.pop(0)
            self.sent.append((target, reply))
            self.marks.append(mark)
            return Sent(f"{target.conversation}:{len(self.sent)}")

    def find(self, target: Target, mark: Mark, *, since: datetime) -> Lookup:
        with self._lock:
            self.searched.append((mark, since))
            if self.lookups:
                return self.lookups.pop(0)
            return CannotTell("this port keeps no history")

    def texts(self) -> list[str]:
        return [reply_text(reply) for _, reply in self.sent]


def reply_text(reply: Reply) -> str:
    """Everything a reply says, as plain text (heading, paragraphs, fields, footnote)."""
    from bot.console.render import render

    return render(reply)


def make_core(sessions: SessionFactory, clock) -> Core:
    return Core(
        build_registry(),
        sessions,
        coordinators=frozenset({COORDINATOR_ID}),
        clock=clock,
        public_url="https://bot.example.org",
    )
