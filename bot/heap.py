"""The garbage collector of a long-running web process.

A full collection walks every object the process holds. With 100× data, on the 2-core test
machine under load, one took 150–600 ms, roughly every thirty commands: a pause that lands on
someone's acknowledgement and was the p99 of every command in issue 14's benchmark suite
(`/deadline list past` 56 ms at p50, 333 ms at p99). What exists once the server is serving
(modules, classes, the ORM's mappings, the Bolt app) lives as long as the process, so it is
moved out of the collector's sight (``gc.freeze``); full collections then walk what requests
and caches made since, and take milliseconds. Objects frozen still die by reference count.

What a process imports later (pandas and numpy with the first ``/benchmark``, icalendar with
the first calendar) is not frozen at start, and with it full collections took 30–130 ms
again, every few seconds while charts were drawn: the p99 of ``/healthz`` and of every
command under load. So a full collection that takes longer than ``FULL_COLLECTION_BUDGET``
freezes its survivors too (``keep_full_collections_short``): right after a full collection
they are what the process keeps. The next ones are short again (2–12 ms in the same run),
so this happens a few times in a process's life, after each wave of first uses; the budget
stays above what a small collection takes on a loaded machine, so that such noise freezes
nothing. The price: an object frozen then that
later becomes garbage in a reference cycle is not collected (one in use by a request at that
moment, say); a few such moments cost kilobytes, not a growth.

And the C library's allocator: glibc gives every thread that allocates while another does an
arena of its own, up to eight per core, and keeps what each arena once held. The web process
runs up to 32 command threads (bot/server.py) that read rows and build frames at the same
time, so after a busy spell (issue 14's benchmark suite: eight concurrent clients, six charts
at once) about a dozen arenas stayed resident, 6–10 MB of the 165–170 MB measured after the
100× run. Two arenas (one per core of the machines we run on) hold the same work; Python's
own small objects do not use them at all.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable

# glibc's mallopt parameter for the number of arenas (malloc.h); MALLOC_ARENA_MAX sets the same.
M_ARENA_MAX = -8
MALLOC_ARENAS = 2
# A full collection longer than this freezes what survived it.
FULL_COLLECTION_BUDGET = 0.025


def settle_heap() -> int:
    """Collect what is garbage now, then freeze the survivors; how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def keep_full_collections_short(
    budget: float = FULL_COLLECTION_BUDGET,
) -> Callable[[str, dict], None]:
    """From now on a full collection that takes longer than ``budget`` seconds freezes its
    survivors; the callback installed (``gc.callbacks.remove`` it to stop)."""
    started = 0.0

    def after_full_collections(phase: str, info: dict) -> None:
        nonlocal started
        if info["generation"] != 2:
            return
        if phase == "start":
            started = time.perf_counter()
        elif time.perf_counter() - started > budget:
            gc.freeze()  # the collection is over: its survivors are in the oldest generation

    gc.callbacks.append(after_full_collections)
    return after_full_collections


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas, before the process starts its threads; True when capped.

    An operator's own ``MALLOC_ARENA_MAX`` wins (glibc read it at start); a C library without
    glibc's ``mallopt`` (musl ignores the parameter, macOS has none) is left as it is.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))
