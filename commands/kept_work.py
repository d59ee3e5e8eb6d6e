"""Answers of pure, CPU-heavy work (scoring a benchmark) kept by their inputs.

A benchmark whose figures did not change scores the same: asked again, the answer is taken
from here instead of a worker process scoring it again. That happens when a region's name or
alias changes (a new benchmark version, the same figures), in each new working group seeded
with the same sample, and in a test run's thousand fresh databases.

Charts are not kept: each is drawn when asked for, so that what the benchmarks measure under
"six charts are drawn" stays six charts drawn.

Inputs are told apart by a digest of their pickled form, which ``commands.offload`` needs
anyway: equal digests mean equal inputs, so a kept answer is always the one the function would
give. Unequal pickles of equal inputs only cost a second run.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from commands import offload

P = ParamSpec("P")
T = TypeVar("T")


class KeptWork:
    """``offload.run`` for functions whose answer depends on their arguments alone; the
    ``capacity`` latest answers are kept, the least recently asked go first."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.runs = 0  # how often the work was really done: what tests of "once" count
        self._answers: OrderedDict[bytes, object] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        key = _digest(function, args, kwargs)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]  # type: ignore[return-value]
        # Outside the lock: two first askers may both do the work, and neither waits.
        answer = offload.run(function, *args, **kwargs)
        with self._lock:
            self.runs += 1
            self._answers[key] = answer
            while len(self._answers) > self.capacity:
                self._answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def _digest(function: Callable[..., object], args: tuple, kwargs: dict) -> bytes:
    inputs = (function.__module__, function.__qualname__, args, sorted(kwargs.items()))
    return hashlib.blake2b(pickle.dumps(inputs, protocol=5), digest_size=20).digest()
