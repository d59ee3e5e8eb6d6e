"""Signed slash commands posted as Slack posts them, timed from outside the app under test.

Every request is a fresh connection (as Slack's are), signed with the app's signing secret,
with a ``response_url`` on the local mock of Slack, so that a command the app defers
("Working on it…") can be followed to its reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import aiohttp

from bot.slack.commands import WORKING
from tests.support.mock_slack import Call
from tests.support.slack_requests import signed_headers, slash_command

T = TypeVar("T")

FORM = "application/x-www-form-urlencoded"
# A deferred command's reply may take long at large sizes; give up on it after this.
REPLY_TIMEOUT_SECONDS = 120.0
# Numbers the response_url of every request in this process, whichever client sends it:
# clients come and go, the mock that records the replies stays.
_REQUEST_NUMBERS = itertools.count(1)


@dataclass
class Latencies:
    """Seconds per request; percentiles by nearest rank: p99 of 100 samples is the largest
    but one, of fewer than 100 the largest."""

    seconds: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def percentile(self, q: float) -> float:
        if not self.seconds:
            return math.nan
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def n(self) -> int:
        return len(self.seconds)


# The mock of Slack's Web API answers the bot from threads of the measuring process. At
# Python's usual 5 ms switch interval, a mock thread reading an upload or a reply kept the
# measuring loop from reading an answer that had already arrived, for up to those 5 ms, and
# the wait counted as the app's (under six charts, most of the slowest /healthz probes, until
# those moved to a process of their own: tests.benchmarks.prober).
MEASURING_SWITCH_INTERVAL = 0.0002


@contextlib.contextmanager
def measuring_promptly() -> Iterator[None]:
    """Within: this process's threads hand over the interpreter lock every 0.2 ms."""
    usual = sys.getswitchinterval()
    sys.setswitchinterval(MEASURING_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(usual)


@dataclass(frozen=True)
class Answer:
    status: int
    ack_seconds: float  # until the HTTP answer (Slack's acknowledgement) was read
    deferred: bool  # the acknowledgement said "Working on it…"
    reply_seconds: float | None  # a deferred command: until its follow-up reached Slack


class Replies(Protocol):
    """Where a command's response_url points, and how its reply is awaited there (MockSlack)."""

    def webhook_url(self, name: str) -> str: ...

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]: ...


class SlackClient:
    """Posts signed commands to an app; use ``async with``."""

    def __init__(self, mock: Replies, *, user_id: str = "UBENCH"):
        self.mock = mock
        self.user_id = user_id
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SlackClient:
        connector = aiohttp.TCPConnector(force_close=True, limit=0)
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=60)
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("use SlackClient in 'async with'")
        return self._session

    async def command(self, url: str, line: str, *, follow: bool = True) -> Answer:
        """Post ``line`` ("/benchmark Limburg") to ``url``; with ``follow``, wait for the reply
        of a deferred command, so that sequential requests never overlap."""
        command, _, text = line.partition(" ")
        name = f"{next(_REQUEST_NUMBERS)}."  # unique, and no name is the prefix of another
        body = slash_command(
            command, text, user_id=self.user_id, response_url=self.mock.webhook_url(name)
        )
        headers = signed_headers(body, content_type=FORM)
        started = time.monotonic()
        async with self.session.post(url, data=body.encode(), headers=headers) as response:
            answer = await response.text()
            status = response.status
        ack = time.monotonic() - started
        deferred = acknowledged_text(answer) == WORKING
        reply = None
        if deferred and follow:
            calls = await asyncio.to_thread(
                self.mock.wait_for, f"/webhook/{name}", 1, REPLY_TIMEOUT_SECONDS
            )
            reply = calls[0].received_at - started
        return Answer(status, ack, deferred, reply)

    async def get(self, url: str) -> float:
        started = time.monotonic()
        async with self.session.get(url) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {url} answered {response.status}")
        return time.monotonic() - started


def acknowledged_text(body: str) -> str:
    """The text of an acknowledgement: Bolt sends a JSON message, or a bare text."""
    try:
        message = json.loads(body)
    except ValueError:
        return body
    return message.get("text", "") if isinstance(message, dict) else body


@dataclass
class SideBySide:
    """One command sent in turn to the floor and to the bot."""

    floor: Latencies = field(default_factory=Latencies)
    bot: Latencies = field(default_factory=Latencies)
    deferred: int = 0
    replies: Latencies = field(default_factory=Latencies)  # of deferred commands
    failures: list[str] = field(default_factory=list)


async def side_by_side(
    client: SlackClient,
    floor_url: str,
    bot_url: str,
    line: str,
    *,
    rounds: int,
    budget_seconds: float,
    least_rounds: int = 3,
) -> SideBySide:
    """``rounds`` rounds (fewer when ``budget_seconds`` run out, at least ``least_rounds``),
    each one request to the floor and one to the bot, who goes first alternating, so that
    noise from other work on the machine falls on both alike."""
    result = SideBySide()
    deadline = time.monotonic() + budget_seconds
    for number in range(rounds):
        if number >= least_rounds and time.monotonic() > deadline:
            break
        targets = [(floor_url, result.floor), (bot_url, None)]
        for url, floor in targets if number % 2 == 0 else reversed(targets):
            answer = await client.command(url, line)
            if answer.status != 200:
                result.failures.append(f"{url}: HTTP {answer.status}")
            if floor is not None:
                floor.add(answer.ack_seconds)
                continue
            result.bot.add(answer.ack_seconds)
            if answer.deferred:
                result.deferred += 1
                if answer.reply_seconds is not None:
                    result.replies.add(answer.reply_seconds)
    return result


@dataclass
class Throughput:
    answered: int
    seconds: float
    latencies: Latencies
    deferred: int
    client_cpu: float  # share of one core this process (the clients) used meanwhile

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else math.nan


async def throughput(
    client: SlackClient, url: str, line: str, *, clients: int, seconds: float
) -> Throughput:
    """``clients`` clients each posting ``line`` as soon as the previous answer came."""
    latencies = Latencies()
    deferred = 0
    deadline = time.monotonic() + seconds

    async def one_client() -> None:
        nonlocal deferred
        while time.monotonic() < deadline:
            answer = await client.command(url, line, follow=False)
            if answer.status == 200:
                latencies.add(answer.ack_seconds)
                deferred += answer.deferred
            else:
                raise RuntimeError(f"{line} answered HTTP {answer.status} under load")

    cpu, started = time.process_time(), time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    elapsed = time.monotonic() - started
    return Throughput(
        latencies.n, elapsed, latencies, deferred, (time.process_time() - cpu) / elapsed
    )


async def while_busy(
    measure: Callable[[], Awaitable[T]],
    busy: Callable[[], Awaitable[object]],
    *,
    workers: int,
    settle_seconds: float = 0.2,
) -> T:
    """``measure()`` while ``workers`` loops run ``busy`` back to back, begun
    ``settle_seconds`` after them (every loop's first request has reached the app); the
    loops stop when the measuring is done."""
    done = asyncio.Event()

    async def worker() -> None:
        while not done.is_set():
            await busy()

    running = [asyncio.create_task(worker()) for _ in range(workers)]
    try:
        await asyncio.sleep(settle_seconds)
        return await measure()
    finally:
        done.set()
        await asyncio.gather(*running)
