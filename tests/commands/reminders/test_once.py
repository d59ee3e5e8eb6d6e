"""After a crash mid-send: a reminder taken over from a lapsed claim is looked for first.

The dispatcher with an injected clock and a recording port whose ``find`` is scripted; the
Slack port's own search is tested against the mock Web API (tests/bot/slack), and the whole
with a real process killed with SIGKILL (tests/bot/test_crash_once.py).
"""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from sqlalchemy import select

from commands.context import Identity
from commands.port import Mark, NotFound, RetryLater, Sent
from commands.reminders.dispatch import Dispatcher
from commands.reminders.once import process_id
from storage.models import Reminder
from storage.reminders import claim_next
from tests.support.events import RecordingSender

LEASE = timedelta(minutes=2)


def dispatcher(sessions, clock, sender, claimer="alive") -> Dispatcher:
    return Dispatcher(sessions, {"slack": sender}, clock=clock, claimer=claimer, lease=LEASE)


def leads(sessions) -> list[Reminder]:
    with sessions() as session:
        return list(session.scalars(select(Reminder).where(Reminder.kind == "lead")))


def claimed_by_a_process_that_dies(sessions, clock, name: str = "dead") -> Reminder:
    """What a process leaves when it dies after posting, before recording: its claim."""
    with sessions.begin() as session:
        claimed = claim_next(
            session=session, platforms=["slack"], now=clock.now, claimer=name, lease=LEASE
        )
    assert claimed is not None
    return claimed


@pytest.fixture
def due_deadline(bot, clock, coordinator) -> None:
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)


def test_an_ordinary_send_never_searches_the_history(sessions, clock, due_deadline):
    sender = RecordingSender()
    assert dispatcher(sessions, clock, sender).run_once().sent == 1
    (lead,) = leads(sessions)
    assert sender.marks == [Mark("reminder", lead.id)]
    assert sender.searched == []  # history is rate limited: only looked at after a crash


def test_a_lapsed_claim_whose_message_arrived_is_recorded_not_sent_again(
    sessions, clock, due_deadline
):
    dead = claimed_by_a_process_that_dies(sessions, clock)
    claimed_at = clock.now
    sender = RecordingSender(lookups=[Sent("CGENERAL:1764583200.000100")])
    run = dispatcher(sessions, clock, sender)
    assert run.run_once().handled == 0  # the claim still holds
    clock.advance(minutes=3)

    report = run.run_once()
    assert report.sent == 1
    assert sender.sent == []
    assert sender.searched == [(Mark("reminder", dead.id), claimed_at)]
    (lead,) = leads(sessions)
    assert (lead.status, lead.message_ref) == ("sent", "CGENERAL:1764583200.000100")
    assert (lead.claimed_by, lead.unconfirmed_since) == ("alive", None)
    assert run.run_once().handled == 0


def test_a_lapsed_claim_whose_message_never_arrived_is_sent(sessions, clock, due_deadline):
    claimed_by_a_process_that_dies(sessions, clock)
    sender = RecordingSender(lookups=[NotFound()])
    clock.advance(minutes=3)
    assert dispatcher(sessions, clock, sender).run_once().sent == 1
    assert len(sender.sent) == 1
    assert len(sender.searched) == 1
    assert leads(sessions)[0].status == "sent"


def test_after_several_deaths_the_search_starts_at_the_first_claim(sessions, clock, due_deadline):
    claimed_by_a_process_that_dies(sessions, clock, "first")
    first_claim = clock.now
    clock.advance(minutes=3)
    claimed_by_a_process_that_dies(sessions, clock, "second")  # takes over, dies as well
    clock.advance(minutes=3)
    sender = RecordingSender(lookups=[NotFound()])
    dispatcher(sessions, clock, sender).run_once()
    assert [since for _, since in sender.searched] == [first_claim]


def test_a_failed_search_is_tried_again_later_and_still_looks(sessions, clock, due_deadline):
    claimed_by_a_process_that_dies(sessions, clock)
    claimed_at = clock.now
    clock.advance(minutes=3)
    sender = RecordingSender(
        lookups=[RetryLater("Slack rate limit (429)", after_seconds=60), NotFound()]
    )
    run = dispatcher(sessions, clock, sender)

    assert run.run_once().retried == 1
    (lead,) = leads(sessions)
    assert (lead.status, lead.unconfirmed_since) == ("pending", claimed_at)
    assert lead.not_before == clock.now + timedelta(seconds=60)
    assert "could not look for an earlier attempt's message" in lead.last_error
    assert sender.sent == []

    clock.advance(seconds=60)
    assert run.run_once().sent == 1
    assert [since for _, since in sender.searched] == [claimed_at, claimed_at]
    assert len(sender.sent) == 1


def test_when_searching_keeps_failing_it_is_sent_rather_than_lost(sessions, clock, due_deadline):
    claimed_by_a_process_that_dies(sessions, clock)
    clock.advance(minutes=3)
    sender = RecordingSender(lookups=[RetryLater("Slack answered HTTP 503")] * 100)
    run = dispatcher(sessions, clock, sender)
    for _ in range(30):  # an hour and a half of failing searches
        run.run_once()
        clock.advance(minutes=3)
    assert len(sender.sent) == 1  # after give_up_after: posted without looking
    (lead,) = leads(sessions)
    assert lead.status == "sent"
    with sessions() as session:  # not a failure the coordinators hear of
        assert session.scalar(select(Reminder).where(Reminder.kind == "notice")) is None


def test_a_platform_that_cannot_tell_sends_again(sessions, clock, due_deadline, caplog):
    claimed_by_a_process_that_dies(sessions, clock)
    clock.advance(minutes=3)
    sender = RecordingSender()  # its find answers CannotTell, like Teams and the console
    caplog.set_level(logging.WARNING, logger="commands.reminders.once")
    assert dispatcher(sessions, clock, sender).run_once().sent == 1
    assert len(sender.sent) == 1
    assert any("posting it again" in record.getMessage() for record in caplog.records)


def test_a_send_that_got_no_answer_is_looked_for_next_time(sessions, clock, due_deadline):
    claimed_at = clock.now
    sender = RecordingSender(
        outcomes=[RetryLater("no answer from Slack (TimeoutError)", unconfirmed=True)],
        lookups=[Sent("CGENERAL:1764583200.000100")],
    )
    run = dispatcher(sessions, clock, sender)
    assert run.run_once().retried == 1
    clock.advance(seconds=5)
    assert run.run_once().sent == 1
    assert sender.sent == []
    (lead,) = leads(sessions)
    assert [since for _, since in sender.searched] == [claimed_at]
    assert (lead.status, lead.message_ref) == ("sent", "CGENERAL:1764583200.000100")


def test_a_recovered_deadline_reminder_still_messages_the_regions_missing(
    sessions, clock, bot, coordinator
):
    limburg = Identity("slack", "ULIMBURG", "T0001", "CGENERAL", "ulimburg")
    bot.run_line(limburg, "/chemclust join Limburg")
    bot.run_line(coordinator, '/deadline add "Data" in 2 days at 10:00 for Limburg remind 1d')
    clock.advance(days=1)
    claimed_by_a_process_that_dies(sessions, clock)  # posted to the channel, then died
    clock.advance(minutes=3)
    sender = RecordingSender(lookups=[Sent("CGENERAL:1764583200.000100")])
    run = dispatcher(sessions, clock, sender)
    run.run_once()
    run.run_once()
    assert [target.conversation for target, _ in sender.sent] == [{"user": "ULIMBURG"}]


def test_a_claimer_fits_its_column_whatever_the_host_name(monkeypatch):
    # A Kubernetes pod's host name may take 63 characters; PostgreSQL refuses a claimed_by
    # longer than 64, which would stop every claim.
    monkeypatch.setattr(socket, "gethostname", lambda: "chemclust-bot-web-7d9f8c6b5d-" + "x" * 34)
    assert len(process_id()) <= 64
    assert process_id() != process_id()
