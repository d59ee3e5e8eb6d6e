"""The dispatcher's tests: a clock moved by hand from a Saturday morning, and the core on it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.events import Clock, make_core

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def bot(sessions, clock):
    return make_core(sessions, clock)
