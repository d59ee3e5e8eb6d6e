"""The web process freezes what it holds at start, so full collections skip it."""

from __future__ import annotations

import gc
import weakref

import pytest

from bot.heap import settle_heap


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
