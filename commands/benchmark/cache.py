"""Scored benchmarks kept between requests, one per group and database, until their inputs change.

Scoring reads every figure of every edition and runs pandas over them: done per request it was
most of a ``/benchmark`` reply with years of editions. A process keeps the last Benchmark of
each group with the stamp it was built from (``storage.benchmark.benchmark_stamp``: editions
with their figures' version, indicators and regions, a few small rows). A request whose stamp
matches reuses the Benchmark; imports, replacements and Eurostat figures give the editions they
touch a new figures version, so every process sees the change on its next request and scores
once. Builds of one group take turns: a cold process under load scores once, not per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Built = TypeVar("Built")

# Groups (times databases, in tests) whose benchmark a process keeps; the oldest go first.
KEPT = 16


class StampedCache(Generic[Built]):
    """Values built from data that a cheap stamp identifies: rebuilt when the stamp differs."""

    def __init__(self, capacity: int = KEPT):
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, tuple[Hashable, Built]] = OrderedDict()
        self._lock = threading.Lock()  # guards the two dictionaries
        self._building: dict[Hashable, threading.Lock] = {}
        self.builds = 0  # how often a value was built: what tests of "once" count

    def get(self, key: Hashable, stamp: Hashable, build: Callable[[], Built]) -> Built:
        found = self._fresh(key, stamp)
        if found is not None:
            return found[1]
        with self._lock:
            turn = self._building.setdefault(key, threading.Lock())
        with turn:
            found = self._fresh(key, stamp)  # built by the request we waited for
            if found is not None:
                return found[1]
            value = build()
            with self._lock:
                self.builds += 1
                self._entries[key] = (stamp, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.capacity:
                    self._entries.popitem(last=False)
            return value

    def _fresh(self, key: Hashable, stamp: Hashable) -> tuple[Hashable, Built] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != stamp:
                return None
            self._entries.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
