"""The web process freezes what it holds at start, so full collections skip it."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.heap import keep_full_collections_short, settle_heap


class Held:
    """Some object the process keeps, tracked by the collector."""


def what_exists_at_start_is_out_of_the_collectors_sight() -> None:
    gc.disable()  # no automatic collection in between: the check decides when one runs
    before = Held()
    assert any(o is before for o in gc.get_objects())
    frozen = settle_heap()
    after = Held()
    assert frozen == gc.get_freeze_count()
    assert frozen > 1000  # the modules, classes and functions loaded so far
    walked = gc.get_objects()
    assert not any(o is before for o in walked)
    assert any(o is after for o in walked)
    assert len(walked) < frozen


def garbage_is_collected_before_freezing_not_frozen_for_good() -> None:
    gc.disable()
    cycle = Held()
    cycle.itself = cycle
    watched = weakref.ref(cycle)
    del cycle
    assert watched() is not None  # a cycle: only the collector frees it
    settle_heap()
    assert watched() is None


def a_slow_full_collection_freezes_what_survived_it() -> None:
    gc.disable()
    imported_later = [Held() for _ in range(1000)]  # like a module first used after start
    keep_full_collections_short(budget=0.0)  # every one is "slow"
    gc.collect(1)  # a younger generation's collection: nothing frozen
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gc.get_freeze_count() > 1000
    walked = gc.get_objects()
    assert not any(o is imported_later[0] for o in walked)


def a_short_full_collection_freezes_nothing() -> None:
    gc.disable()
    keep_full_collections_short(budget=60.0)
    gc.collect()
    assert gc.get_freeze_count() == 0


def garbage_made_after_freezing_is_still_collected() -> None:
    gc.disable()
    keep_full_collections_short(budget=0.0)
    gc.collect()
    cycle = Held()
    cycle.itself = cycle
    watched = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert watched() is None


@pytest.mark.parametrize(
    "check",
    [
        what_exists_at_start_is_out_of_the_collectors_sight,
        garbage_is_collected_before_freezing_not_frozen_for_good,
        a_slow_full_collection_freezes_what_survived_it,
        a_short_full_collection_freezes_nothing,
        garbage_made_after_freezing_is_still_collected,
    ],
    ids=lambda check: check.__name__,
)
def test_in_an_interpreter_of_its_own(check: Callable[[], None]):
    """Each check runs in a new interpreter. The collector's state is the whole process's:
    in a test worker, other tests' threads free frozen objects while a check counts them,
    and each full collection walks everything the run has made so far (seconds per test)."""
    ran = subprocess.run(
        [sys.executable, "-c", f"from {__name__} import {check.__name__} as check; check()"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert ran.returncode == 0, ran.stderr


# Eight threads allocating at once, then glibc's own account of its arenas (malloc_info).
ARENAS_AFTER_THREADS = """
import ctypes, sys, tempfile, threading
from bot.heap import limit_malloc_arenas
print(limit_malloc_arenas() if sys.argv[1] == "limited" else None)
together = threading.Barrier(8)
def allocate():
    together.wait()
    held = [bytearray(4096) for _ in range(2000)]
    together.wait()
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile(suffix=".xml") as report:
    stream = ctypes.c_void_p(libc.fopen(report.name.encode(), b"w"))
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(open(report.name).read().count("<heap nr="))
"""


def arenas_after_threads(how: str, **env: str) -> list[str]:
    ran = subprocess.run(
        [sys.executable, "-c", ARENAS_AFTER_THREADS, how],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env,
    )
    return ran.stdout.split()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's arenas")
def test_threads_share_two_malloc_arenas_instead_of_one_each():
    assert int(arenas_after_threads("unlimited")[1]) > 2  # glibc's default: one per thread
    assert arenas_after_threads("limited") == ["True", "2"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's arenas")
def test_an_operators_malloc_arena_max_wins():
    assert arenas_after_threads("limited", MALLOC_ARENA_MAX="3") == ["False", "3"]
