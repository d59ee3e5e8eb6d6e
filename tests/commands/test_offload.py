"""Heavy work in worker processes when the web process asks for them, in place otherwise."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from commands import offload, pacing
from commands.benchmark import charts


def where() -> int:
    return os.getpid()


def die_unless_in(process_id: int) -> str:
    if os.getpid() != process_id:
        os._exit(1)  # a worker killed mid-work (out of memory, a signal)
    return "done in place"


@pytest.fixture
def pool() -> Iterator[None]:
    offload.use_processes(1)
    yield
    offload.use_processes(0)
    offload.shutdown()


def scheduling_class() -> int:
    return os.sched_getscheduler(0)


def pacing_beat() -> float:
    """How often the work pauses: the interval timer's period, 0 when it runs straight through."""
    return signal.getitimer(signal.ITIMER_REAL)[1]


@pytest.mark.parametrize(
    ("processors", "workers"), [(1, 1), (2, 1), (3, 2), (5, 4), (64, offload.MOST_WORKERS)]
)
def test_the_pool_leaves_one_processor_to_the_web_loop(processors, workers):
    assert offload.worker_count(processors) == workers


def test_the_pool_counts_the_processors_this_process_may_use():
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert offload.worker_count() == max(1, min(offload.MOST_WORKERS, usable - 1))


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="the idle class is Linux's")
def test_a_worker_draws_in_the_idle_class_and_this_process_keeps_its_own(pool):
    assert offload.run_paced(scheduling_class) == os.SCHED_IDLE
    assert scheduling_class() == os.SCHED_OTHER


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="the idle class is Linux's")
def test_work_an_answer_waits_for_keeps_the_usual_priority_before_and_after_a_chart(pool):
    assert offload.run(scheduling_class) == os.SCHED_OTHER
    assert offload.run_paced(scheduling_class) == os.SCHED_IDLE
    assert offload.run(scheduling_class) == os.SCHED_OTHER  # in the same worker
    assert offload.run(where) == offload.run_paced(where) != os.getpid()


def test_without_a_pool_the_work_is_done_in_place():
    assert offload.run(where) == os.getpid()


def test_processes_turned_off_work_in_place_and_turned_on_again_find_their_pool_warm(pool):
    worker = offload.run(where)

    offload.use_processes(0)
    in_place = offload.run(where)
    offload.use_processes(1)

    assert in_place == os.getpid()
    assert offload.run(where) == worker != os.getpid()


def test_with_a_pool_a_chart_is_drawn_in_another_process_and_comes_back_whole(pool):
    assert offload.run(where) != os.getpid()
    drawing = {
        "title": "Limburg: benchmark 2012 update",
        "indicators": ["R&D expenditure", "Patents"],
        "scores": [80.0, None],
        "medians": [50.0, 40.0],
        "notes": [charts.SAMPLE_CHART_NOTE],
    }
    png = offload.run(charts.region_scores, **drawing)
    assert png.startswith(b"\x89PNG")
    assert len(png) > 10_000
    assert len(png) == len(charts.region_scores(**drawing))


def test_a_worker_that_dies_leaves_the_work_to_this_process_and_a_new_pool_to_the_next(pool):
    assert offload.run(die_unless_in, os.getpid()) == "done in place"
    assert offload.run(where) != os.getpid()


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer")
def test_long_work_pauses_in_a_worker_and_work_an_answer_waits_for_does_not(pool):
    assert offload.run_paced(pacing_beat) == pytest.approx(pacing.CHECK_SECONDS)
    assert offload.run(pacing_beat) == 0.0  # the same worker: the beat ended with the work


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer")
def test_in_place_long_work_runs_straight_through():
    assert offload.run_paced(pacing_beat) == 0.0
