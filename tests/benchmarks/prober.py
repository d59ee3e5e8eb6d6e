"""The calm web loop's probes, timed from a process of their own.

Six chart clients and the mock of Slack's Web API that takes their uploads live in the
measuring process. A probe timed in that same event loop and interpreter waited for them
whenever a chart's upload or its next request fell together with the probe's answer, and the
wait counted as the bot's. The prober does nothing but probe, one at a time, as a person's
client would: what its probes still wait for is the bot and the machine's cores.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Self

from tests.benchmarks.load import Latencies, SlackClient
from tests.support.mock_slack import Call, webhook_url

# How long the prober may take to start (a new interpreter importing aiohttp).
START_SECONDS = 30.0


@dataclass(frozen=True)
class ProbePlan:
    command_url: str  # where the bot takes slash commands
    health_url: str  # the bot's /healthz
    response_root: str  # the mock's root: a probe's response_url points there
    line: str  # the command each probe sends before /healthz
    probes: int
    budget_seconds: float  # probing stops after this, once at least two probes are in


@dataclass
class Probed:
    """One round of probes: each one the command, then /healthz."""

    command: Latencies = field(default_factory=Latencies)
    health: Latencies = field(default_factory=Latencies)
    deferred: int = 0  # commands acknowledged with "Working on it…"


class ElsewhereReplies:
    """Response URLs on the measuring process's mock. The prober never follows a deferred
    command to its reply (that would time the mock, not the acknowledgement): it counts it."""

    def __init__(self, root: str):
        self.root = root

    def webhook_url(self, name: str) -> str:
        return webhook_url(self.root, name)

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]:
        raise RuntimeError("the prober does not follow replies")


class Prober:
    """A probing process; ``await probe()`` runs one round of ``plan.probes`` probes in it.
    Use ``with``: the process is stopped on leaving."""

    def __init__(self, plan: ProbePlan):
        self.plan = plan
        context = multiprocessing.get_context("spawn")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, plan), daemon=True)

    def __enter__(self) -> Self:
        self._process.start()
        if not self._connection.poll(START_SECONDS):
            self._process.kill()
            raise RuntimeError(f"the prober did not start within {START_SECONDS:g} s")
        self._connection.recv()  # "ready"
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):  # a prober that died has nothing to be told
            self._connection.send(None)
        self._process.join(START_SECONDS)
        if self._process.is_alive():
            self._process.kill()

    async def probe(self) -> Probed:
        self._connection.send("probe")
        answer = await asyncio.to_thread(self._connection.recv)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _serve(connection: Connection, plan: ProbePlan) -> None:
    connection.send("ready")
    while connection.recv() is not None:
        try:
            connection.send(asyncio.run(_probe_round(plan)))
        except Exception as error:  # handed to the measuring process, which raises it
            connection.send(RuntimeError(f"probing {plan.command_url} failed: {error}"))


async def _probe_round(plan: ProbePlan) -> Probed:
    async with SlackClient(ElsewhereReplies(plan.response_root)) as client:
        await _probe(client, plan, Probed())  # a new loop's first request: not counted
        probed = Probed()
        deadline = time.monotonic() + plan.budget_seconds
        for number in range(plan.probes):
            if number >= 2 and time.monotonic() > deadline:
                break
            await _probe(client, plan, probed)
    return probed


async def _probe(client: SlackClient, plan: ProbePlan, probed: Probed) -> None:
    answer = await client.command(plan.command_url, plan.line, follow=False)
    if answer.status != 200:
        raise RuntimeError(f"{plan.line} answered HTTP {answer.status}")
    probed.command.add(answer.ack_seconds)
    probed.deferred += answer.deferred
    probed.health.add(await client.get(plan.health_url))
