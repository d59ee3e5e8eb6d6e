"""Long work that pauses as long as it works, so that it never holds a processor whole.

On the two-processor test machine, a chart worker in the idle scheduling class that drew
without a break still delayed the web process's answers. While both processors look busy on
average (the worker's own load counts), Linux stops looking for an idle processor when it
wakes a task, and a task queued behind another on the web loop's processor moves to the
worker's only at a timer tick (4 ms at 250 Hz). The web loop then waited behind every short
burst of other work there (the database, a kernel thread holding the processor for 3 to 12 ms
twice a second). A worker that pauses one millisecond after every millisecond of work leaves
its processor free half the time: /healthz's p99 while six charts were drawn fell from a
median of 5.8 ms (31 runs) to 4.5 ms (6 runs), with 40 % fewer charts drawn in that time.

The pauses follow the processor time the work got, not the clock: a worker that other work
keeps waiting (it is in the idle class) pauses seldom, so pacing never adds to its wait.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator

STINT_SECONDS = 0.001  # of processor time between two pauses
PAUSE_SECONDS = 0.001
CHECK_SECONDS = 0.001  # of real time: how often the work looks at its stint


@contextlib.contextmanager
def pacing(
    stint: float = STINT_SECONDS,
    pause: float = PAUSE_SECONDS,
    *,
    check: float = CHECK_SECONDS,
    worked: Callable[[], float] = time.thread_time,
    sleep: Callable[[float], object] = time.sleep,
) -> Iterator[None]:
    """Within the block, pause for ``pause`` seconds after every ``stint`` seconds of work
    (``worked``: this thread's processor time).

    An interval timer looks every ``check`` seconds; the pause is taken between two steps of
    Python, so a long call into C (compressing a PNG) runs to its end first. Only the main
    thread receives the timer's signal: in another thread, or where there is no interval timer
    (Windows), the block runs straight through."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    since = worked()

    def pause_after_a_stint(*_: object) -> None:
        nonlocal since
        if worked() - since >= stint:
            since = math.inf  # the timer's signals during the pause do not pause again
            sleep(pause)
            since = worked()

    previous = signal.signal(signal.SIGALRM, pause_after_a_stint)
    # Interrupted system calls restart: C libraries in the work (FreeType reading a font) do
    # not retry a read that the signal cut short.
    signal.siginterrupt(signal.SIGALRM, False)
    signal.setitimer(signal.ITIMER_REAL, check, check)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
