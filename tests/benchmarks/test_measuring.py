"""The benchmark suite's machinery at a tiny scale: the floor process, signed requests timed
side by side with the real web process, a deferred command followed to its reply, the table.

No figure is checked against a time: the machine decides those. What is checked is that
every request is answered, counted and reported where it belongs.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.slack import commands as slack_commands
from tests.benchmarks.__main__ import parse
from tests.benchmarks.apps import REPOSITORY, FloorProcess, floor_environment, resident_mb
from tests.benchmarks.floor import STATIC_TEXT
from tests.benchmarks.load import (
    MEASURING_SWITCH_INTERVAL,
    Latencies,
    SlackClient,
    measuring_promptly,
    side_by_side,
    throughput,
)
from tests.benchmarks.measure_bot import SEQUENTIAL_TARGET, ack_figure
from tests.benchmarks.report import Figure, Target, table, write_json
from tests.support.bot_server import RunningBot
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import post_signed, slash_command


def test_the_floor_verifies_signatures_and_answers_statically(floor: FloorProcess) -> None:
    signed = post_signed(floor.slack_url, slash_command("/benchmark", "Limburg"))
    forged = post_signed(floor.slack_url, slash_command("/benchmark"), secret="not-the-secret")

    assert (signed.status, signed.text) == (200, STATIC_TEXT)
    assert forged.status == 401
    assert resident_mb(floor.process.pid) > 1


def test_floor_and_bot_are_timed_side_by_side(
    slack_bot: RunningBot, floor: FloorProcess, mock: MockSlack
) -> None:
    async def measure():
        async with SlackClient(mock) as client:
            return await side_by_side(
                client, floor.slack_url, slack_bot.slack_url, "/pilot status", rounds=3,
                budget_seconds=60,
            )  # fmt: skip

    result = asyncio.run(measure())

    assert (result.floor.n, result.bot.n, result.deferred, result.failures) == (3, 3, 0, [])
    figure = ack_figure("commands, seed", "`/pilot status` ack p50 / p99", result)
    assert figure.bot == (result.bot.p50 * 1000, result.bot.p99 * 1000)
    assert figure.reference == (result.floor.p50 * 1000, result.floor.p99 * 1000)
    assert figure.n == 3


def test_a_deferred_command_is_followed_to_its_reply(
    slack_bot: RunningBot, mock: MockSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No command finishes within no time at all: the bot acknowledges and follows up.
    monkeypatch.setattr(slack_commands, "ACK_BUDGET_SECONDS", 0)

    async def ask():
        async with SlackClient(mock) as client:
            return await client.command(slack_bot.slack_url, "/pilot status")

    answer = asyncio.run(ask())

    assert answer.deferred
    assert answer.reply_seconds is not None
    assert answer.reply_seconds > 0


def test_throughput_counts_every_answer(floor: FloorProcess, mock: MockSlack) -> None:
    async def load():
        async with SlackClient(mock) as client:
            return await throughput(client, floor.slack_url, "/pilot", clients=2, seconds=0.3)

    result = asyncio.run(load())

    assert result.answered == result.latencies.n > 0
    assert result.per_second == result.answered / result.seconds


def test_the_floor_starts_and_exits_for_the_cold_start_measure() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.floor", "--start-only"],
        cwd=REPOSITORY,
        env=floor_environment(),
        capture_output=True,
        timeout=60,
    )

    assert finished.returncode == 0, finished.stderr.decode()


def test_measuring_hands_the_interpreter_lock_over_promptly_and_then_as_before() -> None:
    usual = sys.getswitchinterval()
    seen = []

    def measure_that_fails() -> None:
        with measuring_promptly():
            seen.append(sys.getswitchinterval())
            raise RuntimeError("a measure that fails")

    with pytest.raises(RuntimeError):
        measure_that_fails()
    assert seen == [pytest.approx(MEASURING_SWITCH_INTERVAL)]
    assert sys.getswitchinterval() == usual


def test_percentiles_are_by_nearest_rank() -> None:
    hundred = Latencies([n / 1000 for n in range(100, 0, -1)])
    fifty = Latencies([n / 1000 for n in range(1, 51)])

    assert (hundred.p50, hundred.p99) == (0.050, 0.099)
    assert (fifty.p50, fifty.p99) == (0.025, 0.050)


def test_targets_are_absolute_or_relative_to_the_reference() -> None:
    at_least_half = Target("≥ 0.5× floor", 0.5, at_least=True, of_reference=True)

    assert Target("p99 ≤ 100 ms", 100).met(99, None) is True
    assert Target("p99 ≤ 100 ms", 100).met(101, None) is False
    assert SEQUENTIAL_TARGET.met(30, 15) is True
    assert SEQUENTIAL_TARGET.met(31, 15) is False
    assert at_least_half.met(160, 320) is True
    assert at_least_half.met(21, 321) is False
    assert at_least_half.met(21, None) is None


def test_the_table_puts_bot_floor_ratio_and_target_side_by_side(tmp_path: Path) -> None:
    figures = [
        Figure("commands, seed", "`/benchmark` ack p50 / p99", "ms", (36.0, 50.0), (3.1, 5.0),
               target=Target("p99 ≤ 100 ms", 100), detail="deferred 1 of 5", n=5),
        Figure("dispatcher", "reminders per second", "reminders/s", (45.0,), (900.0,),
               target=Target("≥ 500/s", 500, at_least=True)),
        Figure("calm web loop, seed", "/healthz while 6 charts are drawn", "ms", (1260.0, 1300.0),
               (8.0, 12.0), reference_name="idle"),
    ]  # fmt: skip

    printed = table(figures).splitlines()
    write_json(tmp_path / "figures.json", meta={"commit": "abc"}, figures=figures)
    written = json.loads((tmp_path / "figures.json").read_text())

    assert printed[0] == "| measure | floor | bot | ratio | target |"
    assert "| **commands, seed** | | | | |" in printed
    assert (
        "| `/benchmark` ack p50 / p99 | 3.10 / 5.00 ms | 36.0 / 50.0 ms, deferred 1 of 5 | 10× "
        "| p99 ≤ 100 ms ✓ |" in printed
    )
    assert "| reminders per second | 900 reminders/s | 45.0 reminders/s | 0.05× | ≥ 500/s ✗ |" in (
        printed
    )
    assert any(
        line.startswith("| /healthz while 6 charts are drawn | idle: 8.00") for line in printed
    )
    assert written["figures"][1]["met"] is False
    assert written["figures"][0]["ratio"] == pytest.approx(10.0)


def test_sections_and_scales_are_chosen_on_the_command_line() -> None:
    args = parse(
        ["--only", "commands,dispatcher", "--scale", "1,100", "--commands", "/pilot, /a b"]
    )

    assert parse([]).calm_probes == 400
    assert parse(["--calm-probes", "50"]).calm_probes == 50
    assert args.only == ("commands", "dispatcher")
    assert args.scale == (1.0, 100.0)
    assert args.commands == ("/pilot", "/a b")
    with pytest.raises(SystemExit):
        parse(["--only", "everything"])
    with pytest.raises(SystemExit):
        parse(["--scale", "0"])
