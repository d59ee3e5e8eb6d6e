"""The calm web loop's prober: rounds of probes timed in a process of their own, and the
load they are timed under."""

from __future__ import annotations

import asyncio

import pytest

from tests.benchmarks.apps import FloorProcess
from tests.benchmarks.load import while_busy
from tests.benchmarks.prober import ProbePlan, Prober
from tests.support.mock_slack import MockSlack


def plan_on(floor: FloorProcess, mock: MockSlack, *, command_url: str = "") -> ProbePlan:
    return ProbePlan(
        command_url=command_url or floor.slack_url,
        health_url=floor.url + "/healthz",
        response_root=mock.root,
        line="/benchmark Limburg",
        probes=3,
        budget_seconds=60,
    )


def test_each_round_times_every_probe_once(floor: FloorProcess, mock: MockSlack) -> None:
    async def two_rounds(prober: Prober):
        return await prober.probe(), await prober.probe()

    with Prober(plan_on(floor, mock)) as prober:
        first, second = asyncio.run(two_rounds(prober))

    for probed in (first, second):
        assert (probed.command.n, probed.health.n, probed.deferred) == (3, 3, 0)
        assert min(probed.command.seconds + probed.health.seconds) > 0


def test_a_probe_answered_with_an_error_fails_its_round(
    floor: FloorProcess, mock: MockSlack
) -> None:
    plan = plan_on(floor, mock, command_url=floor.url + "/nowhere")

    with Prober(plan) as prober, pytest.raises(RuntimeError, match="HTTP 404"):
        asyncio.run(prober.probe())


def test_the_measure_runs_while_the_load_does_and_the_load_stops_with_it() -> None:
    loads = 0
    loaded = asyncio.Event()

    async def load() -> None:
        nonlocal loads
        loads += 1
        if loads >= 6:
            loaded.set()
        await asyncio.sleep(0)

    async def measure() -> int:
        await loaded.wait()
        return loads

    async def run() -> tuple[int, int]:
        measured = await while_busy(measure, load, workers=3, settle_seconds=0)
        for _ in range(10):
            await asyncio.sleep(0)
        return measured, loads

    measured, after = asyncio.run(run())

    assert measured >= 6
    assert after - measured <= 3  # each loop ends with the request it had begun
