"""The dispatcher in batches: claimed by one statement, posted to many conversations at once,
recorded together, still once; rows that cannot be posted within the lease are handed back."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from commands.context import Identity
from commands.reminders.dispatch import Dispatcher
from storage.db import make_engine, make_session_factory
from storage.models import Reminder
from storage.reminders import claim_due, mark_sent_many, release
from tests.support.events import RecordingSender

LEASE = timedelta(minutes=2)


def deadlines_in(bot, channels: list[str], title: str = "Data") -> None:
    for channel in channels:
        where = Identity("slack", "UCOORD", "T0001", channel, "coordinator")
        bot.run_line(where, f'/deadline add "{title} for {channel}" in 1 minute remind 0m')


def leads(sessions) -> list[Reminder]:
    with sessions() as session:
        query = select(Reminder).where(Reminder.kind == "lead").order_by(Reminder.id)
        return list(session.scalars(query))


def claim(sessions, clock, claimer: str, limit: int = 50) -> list[Reminder]:
    with sessions.begin() as session:
        return claim_due(
            session=session,
            platforms=["slack"],
            now=clock.now,
            claimer=claimer,
            lease=LEASE,
            limit=limit,
        )


def test_a_batch_is_claimed_at_once_one_row_per_conversation(sessions, clock, bot):
    deadlines_in(bot, ["C1", "C2", "C3"])
    deadlines_in(bot, ["C1"], title="More data")  # a second row for C1, due as soon
    clock.advance(minutes=1)

    first = claim(sessions, clock, "A")
    assert sorted(r.target["channel"] for r in first) == ["C1", "C2", "C3"]
    assert all((r.status, r.claimed_by, r.attempts) == ("sending", "A", 1) for r in first)
    (second,) = claim(sessions, clock, "A")  # the next batch takes C1's other row
    assert second.target["channel"] == "C1"
    assert second.id > next(r.id for r in first if r.target["channel"] == "C1")
    assert claim(sessions, clock, "A") == []


def test_the_batch_limit_holds(sessions, clock, bot):
    deadlines_in(bot, [f"C{n}" for n in range(5)])
    clock.advance(minutes=1)
    assert len(claim(sessions, clock, "A", limit=2)) == 2
    assert len(claim(sessions, clock, "B", limit=10)) == 3


def test_recording_a_batch_records_only_the_rows_still_ours(sessions, clock, bot):
    deadlines_in(bot, ["C1", "C2", "C3"])
    clock.advance(minutes=1)
    c1, c2 = claim(sessions, clock, "A", limit=2)
    clock.advance(minutes=1)
    (c3,) = claim(sessions, clock, "A")
    clock.advance(minutes=1, seconds=30)  # C1's and C2's claims lapse, C3's holds
    (taken,) = claim(sessions, clock, "B", limit=1)  # B takes C1 over
    assert (taken.id, taken.unconfirmed_since) == (c1.id, c1.claimed_at)

    with sessions.begin() as session:
        recorded = mark_sent_many(
            session=session,
            claimer="A",
            now=clock.now,
            message_refs={c1.id: "C1:1.0", c2.id: None, c3.id: "C3:1.0"},
            late={c2.id},
        )
    assert recorded == {c2.id, c3.id}
    rows = {r.id: r for r in leads(sessions)}
    assert (rows[c1.id].status, rows[c1.id].claimed_by) == ("sending", "B")
    assert (rows[c2.id].status, rows[c2.id].message_ref, rows[c2.id].late) == ("sent", None, True)
    assert (rows[c3.id].status, rows[c3.id].message_ref, rows[c3.id].late) == (
        "sent",
        "C3:1.0",
        False,
    )
    assert rows[c3.id].lease_until is None


def test_a_row_handed_back_is_pending_as_before_and_keeps_a_takeovers_doubt(sessions, clock, bot):
    deadlines_in(bot, ["C1", "C2"])
    clock.advance(minutes=1)
    claim(sessions, clock, "dead")
    clock.advance(minutes=3)
    c1, c2 = claim(sessions, clock, "A")  # taken over: unconfirmed since the dead claim

    with sessions.begin() as session:
        assert release(session=session, reminder_ids=[c1.id, c2.id], claimer="A") == {c1.id, c2.id}
    for row in leads(sessions):
        assert (row.status, row.claimed_by, row.lease_until) == ("pending", None, None)
        assert row.attempts == 1  # the dead process's attempt counts, the handed-back one not
        assert row.unconfirmed_since is not None  # the next attempt still looks first


def test_many_conversations_are_posted_to_at_once_each_once(sessions, clock, bot):
    channels = [f"C{n:02d}" for n in range(12)]
    deadlines_in(bot, channels)
    clock.advance(minutes=1)
    in_flight = threading.Barrier(4, timeout=30)  # breaks unless four posts wait together

    class FourAtOnce(RecordingSender):
        def __call__(self, target, reply, mark):
            in_flight.wait()
            return super().__call__(target, reply, mark)

    sender = FourAtOnce(parallel=4)
    report = Dispatcher(sessions, {"slack": sender}, clock=clock, claimer="A").run_once()

    assert report.sent == len(channels)
    assert sorted(t.conversation["channel"] for t, _ in sender.sent) == channels
    assert Counter(mark.id for mark in sender.marks).most_common(1)[0][1] == 1
    for row in leads(sessions):
        assert row.status == "sent"
        assert row.message_ref


def test_a_post_whose_turn_comes_after_half_the_lease_is_handed_back_then_sent(
    sessions, clock, bot
):
    deadlines_in(bot, ["C1", "C2", "C3"])
    clock.advance(minutes=1)
    seconds = [0.0]

    class SlowSender(RecordingSender):
        def __call__(self, target, reply, mark):
            seconds[0] += 40  # each post takes 40 s: the third would start 80 s into the lease
            return super().__call__(target, reply, mark)

    sender = SlowSender()  # one post at a time, in claim order
    run = Dispatcher(
        sessions,
        {"slack": sender},
        clock=clock,
        claimer="A",
        lease=LEASE,
        batch_rows=3,  # more than the port posts at once: the third waits for the others
        monotonic=lambda: seconds[0],
    )
    report = run.run_once()

    assert report.released == 1
    assert report.sent == 3  # handed back, claimed again by the next batch of the run
    assert sorted(t.conversation["channel"] for t, _ in sender.sent) == ["C1", "C2", "C3"]
    assert [row.attempts for row in leads(sessions)] == [1, 1, 1]  # not counted twice


def test_four_dispatchers_racing_in_batches_send_every_reminder_once(
    database_url, sessions, clock, bot
):
    channels = [f"C{n:03d}" for n in range(40)]
    deadlines_in(bot, channels)
    clock.advance(minutes=2)
    sender = RecordingSender(parallel=4)
    engines = [make_engine(database_url) for _ in range(4)]
    racers = [
        Dispatcher(
            make_session_factory(engine),
            {"slack": sender},
            clock=clock,
            claimer=f"racer{n}",
            batch_rows=7,
        )
        for n, engine in enumerate(engines)
    ]
    start = threading.Barrier(len(racers))

    def race(racer: Dispatcher) -> None:
        start.wait()
        racer.run_once()

    threads = [threading.Thread(target=race, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()

    assert sorted(t.conversation["channel"] for t, _ in sender.sent) == channels
    assert all(row.status == "sent" for row in leads(sessions))
