"""The in-memory scheduler: fixed ids, one run at a time, failures logged not fatal."""

from __future__ import annotations

import asyncio
import logging

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduler import Job, build_scheduler


def test_jobs_run_on_their_trigger_and_a_failing_job_is_logged(caplog):
    runs: list[str] = []

    def tick() -> None:
        runs.append("tick")

    def broken() -> None:
        raise RuntimeError("boom")

    async def scenario() -> None:
        scheduler = build_scheduler(
            [
                Job("tick", IntervalTrigger(seconds=0.05), tick),
                Job("broken", IntervalTrigger(seconds=0.05), broken),
            ]
        )
        scheduler.start()
        job = scheduler.get_job("tick")
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)
        for _ in range(100):
            await asyncio.sleep(0.02)
            if len(runs) >= 2 and any("broken failed" in r.getMessage() for r in caplog.records):
                break
        scheduler.shutdown(wait=False)

    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        asyncio.run(scenario())
    assert len(runs) >= 2
    failure = next(r for r in caplog.records if "broken failed" in r.getMessage())
    assert failure.exc_info is not None


def test_two_jobs_with_one_id_are_refused():
    with pytest.raises(ValueError, match="unique"):
        build_scheduler(
            [
                Job("same", IntervalTrigger(seconds=60), print),
                Job("same", IntervalTrigger(seconds=30), print),
            ]
        )
