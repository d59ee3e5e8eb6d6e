"""Scored benchmarks kept between requests, one per group and database, until their inputs change.

Scoring reads every figure of every edition and runs pandas over them: done per request it was
most of a ``/benchmark`` reply with years of editions. A process keeps the last Benchmark of
each group with the stamp it was built from (``storage.benchmark.benchmark_stamp``: editions
with their figures' version, indicators and regions, a few small rows). A request whose stamp
matches reuses the Benchmark; imports, replacements and Eurostat figures give the editions they
touch a new figures version, so every process sees the change on its next request and scores
once. Builds of one group take turns: a cold process under load scores once, not per request.

Below that, ``KeptWork`` keeps the scores themselves by the figures they were computed from: a
new benchmark version with the same figures (a region renamed, an alias added, another group
seeded with the same sample, a test run's thousand fresh databases) is put together again but
not scored again. Inputs are told apart by a digest of their pickled form, which
``commands.offload`` needs anyway: equal digests mean equal inputs, so a kept answer is always
the one the function would give; unequal pickles of equal inputs only cost a second run.
Charts are not kept: each is drawn when asked for, so that what the benchmarks measure under
"six charts are drawn" stays six charts drawn.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec, TypeVar

from commands import offload

Built = TypeVar("Built")
P = ParamSpec("P")
T = TypeVar("T")

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
                    gone, _ = self._entries.popitem(last=False)
                    self._building.pop(gone, None)  # keys without end (KeptWork's) come and go
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


class KeptWork:
    """``offload.run`` for functions whose answer depends on their arguments alone; the
    ``capacity`` latest answers are kept, the least recently asked go first."""

    def __init__(self, capacity: int):
        self._kept: StampedCache[object] = StampedCache(capacity)

    @property
    def runs(self) -> int:
        """How often the work was really done: what tests of "once" count."""
        return self._kept.builds

    def run(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        key = _digest(function, args, kwargs)
        # One stamp for every answer: an answer never goes stale, it only makes room.
        answer = self._kept.get(key, None, lambda: offload.run(function, *args, **kwargs))
        return answer  # type: ignore[return-value]

    def clear(self) -> None:
        self._kept.clear()


def _digest(function: Callable[..., object], args: tuple, kwargs: dict) -> bytes:
    # Imported here: only scoring needs them, never a start.
    import hashlib
    import pickle

    inputs = (function.__module__, function.__qualname__, args, sorted(kwargs.items()))
    return hashlib.blake2b(pickle.dumps(inputs, protocol=5), digest_size=20).digest()
