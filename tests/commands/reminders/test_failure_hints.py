"""Coordinators told of a failed reminder read what to check in the failed sender's words."""

from __future__ import annotations

from dataclasses import dataclass

from commands.port import Undeliverable
from commands.reminders.dispatch import Dispatcher
from commands.reminders.messages import FAILURE_HINT
from tests.support.events import RecordingSender


@dataclass
class HintingSender(RecordingSender):
    failure_hint: str = "Check that the carrier pigeon still knows the way."


def fail_one(sessions, clock, bot, coordinator, sender: RecordingSender) -> str:
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)
    sender.outcomes.append(Undeliverable("the channel is gone"))
    report = Dispatcher(sessions, {"slack": sender}, clock=clock, claimer="A").run_once()
    assert report.failed == 1
    (told,) = sender.texts()
    return told


def test_the_failed_senders_own_hint_is_given(sessions, clock, bot, coordinator):
    told = fail_one(sessions, clock, bot, coordinator, HintingSender())
    assert "Check that the carrier pigeon still knows the way." in told
    assert FAILURE_HINT not in told


def test_a_sender_without_a_hint_leaves_the_general_one(sessions, clock, bot, coordinator):
    told = fail_one(sessions, clock, bot, coordinator, RecordingSender())
    assert FAILURE_HINT in told
    assert "Slack" not in told.replace("the channel is gone", "")
