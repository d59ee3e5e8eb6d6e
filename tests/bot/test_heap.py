"""The web process freezes what it holds at start, so full collections skip it."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
import weakref

import pytest

from bot.heap import keep_full_collections_short, settle_heap


class Held:
    """Some object the process keeps, tracked by the collector."""


@pytest.fixture
def thawed_afterwards():
    gc.disable()  # no automatic collection in between: the test decides when one runs
    yield
    gc.unfreeze()  # the rest of the test session collects as usual
    gc.enable()


def test_what_exists_at_start_is_out_of_the_collectors_sight(thawed_afterwards):
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


def test_garbage_is_collected_before_freezing_not_frozen_for_good(thawed_afterwards):
    cycle = Held()
    cycle.itself = cycle
    watched = weakref.ref(cycle)
    del cycle
    assert watched() is not None  # a cycle: only the collector frees it
    settle_heap()
    assert watched() is None


@pytest.fixture
def watching_full_collections(thawed_afterwards):
    installed = []
    yield installed.append
    for callback in installed:
        gc.callbacks.remove(callback)


def test_a_slow_full_collection_freezes_what_survived_it(watching_full_collections):
    imported_later = [Held() for _ in range(1000)]  # like a module first used after start
    watching_full_collections(keep_full_collections_short(budget=0.0))  # every one is "slow"
    gc.collect(1)  # a younger generation's collection: nothing frozen
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gc.get_freeze_count() > 1000
    walked = gc.get_objects()
    assert not any(o is imported_later[0] for o in walked)


def test_a_short_full_collection_freezes_nothing(watching_full_collections):
    watching_full_collections(keep_full_collections_short(budget=60.0))
    gc.collect()
    assert gc.get_freeze_count() == 0


def test_garbage_made_after_freezing_is_still_collected(watching_full_collections):
    watching_full_collections(keep_full_collections_short(budget=0.0))
    gc.collect()
    cycle = Held()
    cycle.itself = cycle
    watched = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert watched() is None


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
