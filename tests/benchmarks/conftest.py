"""The benchmark machinery's tests share one mock of Slack and one floor process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.benchmarks.apps import FloorProcess
from tests.support.mock_slack import MockSlack


@pytest.fixture(scope="package")
def mock() -> Iterator[MockSlack]:
    mock = MockSlack()
    yield mock
    mock.close()


@pytest.fixture(scope="package")
def floor(mock: MockSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FloorProcess]:
    running = FloorProcess(mock=mock, log_path=tmp_path_factory.mktemp("floor") / "floor.log")
    running.start()
    yield running
    running.stop()
