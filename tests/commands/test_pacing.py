"""Long work pauses after each stint of processor time, and only within its block."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from commands.pacing import pacing

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer")


def busy_until(done, *, seconds: float) -> None:
    """Python steps (where the pauses are taken) until ``done()`` or ``seconds`` have passed."""
    ends = time.monotonic() + seconds
    while not done() and time.monotonic() < ends:
        sum(range(100))


class Worked:
    """A processor clock that the test moves by hand; it counts how often it was read."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.seconds


def test_the_work_pauses_after_each_stint_for_the_pause_asked_for():
    pauses: list[float] = []
    with pacing(0.001, 0.0004, check=0.001, sleep=pauses.append):
        busy_until(lambda: len(pauses) >= 5, seconds=5)
    assert len(pauses) >= 5
    assert set(pauses) == {0.0004}


def test_work_that_got_no_processor_time_does_not_pause():
    worked = Worked()
    pauses: list[float] = []
    with pacing(0.001, 0.0004, check=0.001, worked=worked, sleep=pauses.append):
        # Five checks (the first read is the block's start); the clock stands still: waiting.
        busy_until(lambda: worked.reads > 5, seconds=5)
        assert pauses == []
        worked.seconds = 0.001  # then one stint's worth of processor time
        busy_until(lambda: bool(pauses), seconds=5)
        assert pauses == [0.0004]
    assert worked.reads > 5


def test_a_signal_during_the_pause_does_not_pause_again():
    pauses: list[float] = []

    def slow_sleep(seconds: float) -> None:
        pauses.append(seconds)
        busy_until(lambda: False, seconds=0.01)  # ten checks come by meanwhile

    with pacing(0.001, 0.0004, check=0.001, sleep=slow_sleep):
        busy_until(lambda: bool(pauses), seconds=5)
    assert len(pauses) <= 2  # one pause, perhaps a second one after its stint; no nesting


def test_after_the_block_the_work_runs_straight_through_and_the_old_handler_is_back():
    def keep(*_):
        pass

    before = signal.signal(signal.SIGALRM, keep)
    pauses: list[float] = []
    try:
        with pacing(0.001, 0.0004, check=0.001, sleep=pauses.append):
            busy_until(lambda: bool(pauses), seconds=5)
        paused = len(pauses)
        busy_until(lambda: False, seconds=0.05)
        assert paused >= 1
        assert len(pauses) == paused
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is keep
    finally:
        signal.signal(signal.SIGALRM, before)


def test_the_work_ends_its_pacing_when_it_fails():
    with pytest.raises(ZeroDivisionError), pacing(sleep=lambda _: None):
        1 / 0  # noqa: B018
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_the_work_runs_straight_through():
    pauses: list[float] = []
    timers: list[tuple[float, float]] = []

    def work() -> None:
        with pacing(0.001, 0.0004, check=0.001, sleep=pauses.append):
            timers.append(signal.getitimer(signal.ITIMER_REAL))
            busy_until(lambda: False, seconds=0.05)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert timers == [(0.0, 0.0)]
    assert pauses == []
