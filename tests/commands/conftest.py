"""Fixtures of the commands' tests."""

from __future__ import annotations

import pytest

from commands import offload


@pytest.fixture
def in_place() -> None:
    """No pool, whatever an earlier test of this worker left (a web process started in the
    test process turns one on, as the real one does, and keeps it for the next)."""
    offload.use_processes(0)
    offload.shutdown()
