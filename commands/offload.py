"""CPU-heavy work (drawing charts, building workbooks) outside the web process's interpreter lock.

A thread drawing a chart holds Python's interpreter lock for most of a second, and while it
does the web loop cannot acknowledge anyone else's command or answer /healthz. The web
process therefore calls ``use_processes`` at start: from then on ``run`` and ``run_paced``
hand such work to a small pool of worker processes (started on first use, so a process that
never draws pays nothing) and its thread merely waits. The pool leaves one processor to
everything else (``worker_count``).

Long work (``run_paced``: charts, workbooks, uploaded tables) runs in the scheduler's idle
class and pauses as long as it works (``commands.pacing``): on two cores, two busy workers at
a mere lower niceness made requests wait for a core for milliseconds, and one that never
paused still did. Work that an answer waits for (``run``: scoring the benchmark) keeps the
usual priority: in the idle class, a busy machine starved it past the acknowledgement's
deadline. It goes to a worker for memory's sake: pandas and numpy (some 45 MB) then live in
the workers, never in the web process (``chemclust_library_loaded`` on /metrics). Everywhere
else (the console, the command line, tests that call commands directly) both call the
function in place.

What is handed over must be picklable: a module-level function and plain data (strings,
numbers, small dataclasses), never database rows or sessions. A worker that dies (killed,
out of memory) breaks the pool; the work is then done in place and a new pool started next
time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    # multiprocessing and the process pool are imported when a pool is started: a process
    # whose work stays in place (the console, the command line) does not load them.
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# Where the idle scheduling class is missing (not Linux), the workers are niced instead.
WORKER_NICENESS = 10
MOST_WORKERS = 4  # charts are rare; more workers would only hold more memory

_lock = threading.Lock()
_workers = 0
_pool: ProcessPoolExecutor | None = None
# In a worker whose main thread went to the idle class: a thread kept at the usual priority.
_prompt: ThreadPoolExecutor | None = None


def use_processes(workers: int) -> None:
    """From now on, ``run`` works in a pool of ``workers`` processes (0: in place)."""
    global _workers
    with _lock:
        _workers = max(0, workers)


def worker_count(processors: int | None = None) -> int:
    """How many worker processes to start: one fewer than the processors this process may
    run on, so that one is left to the web loop, the database and the rest; at least one, at
    most ``MOST_WORKERS``."""
    if processors is None:
        processors = _usable_processors()
    return max(1, min(MOST_WORKERS, processors - 1))


def run(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)``, in a worker process when the pool is on."""
    return _run(function, args, kwargs, paced=False)


def run_paced(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``run`` for work that takes a good part of a second or more, whose answer is late
    anyway (charts, workbooks, uploaded tables): in a worker it pauses as long as it works
    (``commands.pacing``), so that even a worker kept busy leaves its processor free half the
    time. Work that an answer waits for (scoring) goes through ``run``, at full speed."""
    return _run(function, args, kwargs, paced=True)


def _run(function: Callable[..., T], args: tuple, kwargs: dict, *, paced: bool) -> T:
    pool = _current_pool()
    if pool is None:
        return function(*args, **kwargs)
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit(_in_worker, function, args, kwargs, paced).result()
    except BrokenProcessPool:
        log.warning("a worker process died; doing %s in this process", function.__name__)
        _forget(pool)
        return function(*args, **kwargs)


def shutdown() -> None:
    """Stop the pool's processes (a later ``run`` starts a new pool if still on)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _current_pool() -> ProcessPoolExecutor | None:
    """The pool while processes are on; a pool kept from before ``use_processes(0)`` waits,
    warm, until they are turned on again."""
    global _pool
    with _lock:
        if not _workers:
            return None
        if _pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": the web process has threads (the event loop, the scheduler), which a
            # forked child would inherit half-copied, locks and all.
            _pool = ProcessPoolExecutor(_workers, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def _usable_processors() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what a cpuset or taskset allows, not the host's
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_worker(function: Callable[..., T], args: tuple, kwargs: dict, paced: bool) -> T:
    """In a worker: long work (``run_paced``) at a lower priority than the web process's, and
    pacing itself, so that on a machine with few cores an acknowledgement does not wait for a
    chart's turn; work that an answer waits for (``run``: scoring) at the usual priority, so
    that a busy machine does not starve it past the acknowledgement's deadline.

    The idle class, not a niceness: Linux hands the core to any ordinary task that wakes up
    (a request for the web loop) at once, where a niced worker may keep it until the next
    timer tick (4 ms on a 250 Hz kernel, as on the test machine). Under ordinary work that
    never lets up, a worker still gets a small share, so a chart is late, never lost."""
    if paced:
        _lower_this_threads_priority()
        from commands.pacing import pacing

        with pacing():
            return function(*args, **kwargs)
    if _prompt is None:
        return function(*args, **kwargs)
    return _prompt.submit(function, *args, **kwargs).result()


def _lower_this_threads_priority() -> None:
    """Put the worker's main thread in the idle class, once. Leaving that class again takes
    privileges the bot does not have, so a thread started before the switch keeps the usual
    priority for the work answers wait for."""
    global _prompt
    if _prompt is not None:
        return
    from concurrent.futures import ThreadPoolExecutor

    _prompt = ThreadPoolExecutor(1, thread_name_prefix="prompt")
    _prompt.submit(int).result()  # its thread starts now, before the switch
    # Where that is not permitted, the work still gets done, at the usual priority.
    with contextlib.suppress(OSError):
        if hasattr(os, "SCHED_IDLE"):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # this thread only
        else:
            os.nice(WORKER_NICENESS)  # the whole process: there is no per-thread class


def _forget(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)
