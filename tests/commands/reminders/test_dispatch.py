"""The dispatcher with an injected clock and a recording port: once, late, retried, failed."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import func, select

from commands.context import Identity
from commands.port import RetryLater, Undeliverable
from commands.reminders.dispatch import Dispatcher
from storage.db import make_engine, make_session_factory
from storage.models import Event, Reminder
from storage.reminders import claim_next
from tests.support.events import RecordingSender, reply_text


def dispatcher(sessions, clock, sender, claimer="A", **options) -> Dispatcher:
    return Dispatcher(sessions, {"slack": sender}, clock=clock, claimer=claimer, **options)


def rows(sessions, **where) -> list[Reminder]:
    with sessions() as session:
        query = select(Reminder).order_by(Reminder.id)
        for name, value in where.items():
            query = query.where(getattr(Reminder, name) == value)
        return list(session.scalars(query))


def person(user_id: str) -> Identity:
    return Identity("slack", user_id, "T0001", "CGENERAL", user_id.lower())


def test_a_due_reminder_is_sent_once_to_the_channel(sessions, clock, bot, coordinator):
    bot.run_line(coordinator, '/deadline add "Benchmark data 2012" in 10 minutes remind 0m')
    sender = RecordingSender()
    run = dispatcher(sessions, clock, sender)

    assert run.run_once().sent == 0  # not due yet
    clock.advance(minutes=10)
    assert run.run_once().sent == 1
    assert run.run_once().sent == 0
    clock.advance(minutes=5)
    assert run.run_once().sent == 0

    ((target, reply),) = sender.sent
    assert target.platform == "slack"
    assert target.conversation == {"channel": "CGENERAL", "workspace": "T0001"}
    assert reply.heading == "Deadline: Benchmark data 2012"
    assert "is due now" in sender.texts()[0]
    assert reply.footnote is None  # on time
    (sent,) = rows(sessions, kind="lead")
    assert sent.status == "sent"
    assert sent.message_ref
    assert sent.late is False


def test_after_a_restart_what_fell_due_is_sent_late_and_stale_leads_are_skipped(
    sessions, clock, bot, coordinator, caplog
):
    bot.run_line(coordinator, '/workshop add "Open innovation" in 2 hours remind 1h,0m')
    first = RecordingSender()
    dispatcher(sessions, clock, first, claimer="before").run_once()
    assert first.sent == []

    # The bot is down for three hours: both reminders fall due meanwhile.
    clock.advance(hours=3)
    after = RecordingSender()
    caplog.set_level(logging.WARNING, logger="commands.reminders.dispatch")
    report = dispatcher(sessions, clock, after, claimer="after").run_once()

    assert (report.sent, report.skipped) == (1, 1)
    assert len(after.sent) == 1
    assert "starts now" in after.texts()[0]
    assert "Sent late" in after.texts()[0]
    statuses = {r.payload["lead_minutes"]: (r.status, r.late) for r in rows(sessions, kind="lead")}
    assert statuses == {60: ("skipped", False), 0: ("sent", True)}
    assert any("already begun" in record.getMessage() for record in caplog.records)


def test_rate_limit_is_retried_after_retry_after(sessions, clock, bot, coordinator):
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)
    sender = RecordingSender(outcomes=[RetryLater("Slack rate limit (429)", after_seconds=30)])
    run = dispatcher(sessions, clock, sender)

    assert run.run_once().retried == 1
    (row,) = rows(sessions, kind="lead")
    assert row.status == "pending"
    assert row.not_before == clock.now + timedelta(seconds=30)
    assert row.last_error == "Slack rate limit (429)"
    assert run.run_once().handled == 0  # Retry-After not over yet
    clock.advance(seconds=30)
    assert run.run_once().sent == 1
    assert len(sender.sent) == 1
    assert rows(sessions, kind="lead")[0].attempts == 2


def test_after_an_hour_of_failures_it_is_failed_and_coordinators_are_told(
    sessions, clock, bot, coordinator
):
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)
    sender = RecordingSender(outcomes=[RetryLater("Slack answered HTTP 503")] * 100)
    run = dispatcher(sessions, clock, sender)
    for _ in range(40):
        run.run_once()
        clock.advance(minutes=3)
    (row,) = rows(sessions, kind="lead")
    assert row.status == "failed"
    assert "503" in row.last_error
    assert 5 < row.attempts < 40  # backed off, not hammering

    sender.outcomes.clear()
    run.run_once()
    (notice,) = rows(sessions, kind="notice")
    assert notice.target == {"user": "UCOORD"}
    assert notice.status == "sent"
    ((target, reply),) = sender.sent
    assert target.is_direct
    assert reply.heading == "A reminder could not be delivered"


def test_a_message_slack_will_never_take_fails_at_once(sessions, clock, bot, coordinator):
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)
    sender = RecordingSender(outcomes=[Undeliverable("Slack refused the message: not_in_channel")])
    report = dispatcher(sessions, clock, sender).run_once()
    assert report.failed == 1
    assert report.sent == 1  # the coordinators' notice
    assert rows(sessions, kind="lead")[0].status == "failed"
    assert "not_in_channel" in sender.texts()[0]


def test_an_unreachable_person_is_reported_once_per_deadline_not_every_day(
    sessions, clock, bot, coordinator
):
    limburg = person("ULIMBURG")
    bot.run_line(limburg, "/chemclust join Limburg")
    bot.run_line(coordinator, '/deadline add "Data" in 1 hour for Limburg remind 0m')

    def refuse_limburg(target, reply, mark):
        if target.conversation.get("user") == "ULIMBURG":
            return Undeliverable("Slack refused the message: cannot_dm_bot")
        return channel_and_notices(target, reply, mark)

    channel_and_notices = RecordingSender()
    run = dispatcher(sessions, clock, refuse_limburg)
    clock.advance(hours=1)
    run.run_once()
    for _day in range(3):  # the daily chases fail too
        clock.advance(days=1)
        run.run_once()
        run.run_once()
    failed = [r for r in rows(sessions) if r.status == "failed"]
    assert len(failed) == 4  # the DM at the deadline and three chases
    (notice,) = rows(sessions, kind="notice")
    assert notice.target == {"user": "UCOORD"}
    assert "cannot_dm_bot" in reply_text(channel_and_notices.sent[-1][1])


def test_deadline_reminders_message_only_the_regions_still_missing(
    sessions, clock, bot, coordinator
):
    limburg, nrw, idle = person("ULIMBURG"), person("UNRW"), person("UIDLE")
    bot.run_line(limburg, "/chemclust join Limburg")
    bot.run_line(nrw, "/chemclust join NRW")
    bot.run_line(idle, "/chemclust join Asturias")
    bot.run_line(
        coordinator,
        '/deadline add "Benchmark data 2012" in 3 days at 10:00 for Limburg, NRW remind 1d,0m',
    )
    bot.run_line(nrw, "/deadline done D6")
    sender = RecordingSender()
    run = dispatcher(sessions, clock, sender)

    clock.advance(days=2)  # the 1d reminder falls due
    run.run_once()
    run.run_once()
    targets = [t.conversation for t, _ in sender.sent]
    assert targets == [{"channel": "CGENERAL", "workspace": "T0001"}, {"user": "ULIMBURG"}]
    channel_text, direct_text = sender.texts()
    assert "Still missing: Limburg" in channel_text
    assert "Delivered: North Rhine-Westphalia" in channel_text
    assert "Limburg has not delivered yet" in direct_text

    # Limburg delivers: the deadline's own reminder still goes to the channel, no DM.
    bot.run_line(limburg, "/deadline done D6")
    clock.advance(days=1)
    run.run_once()
    assert [t.conversation for t, _ in sender.sent[2:]] == [
        {"channel": "CGENERAL", "workspace": "T0001"}
    ]
    assert "Every region has delivered" in sender.texts()[2]


def test_missing_regions_are_chased_daily_after_the_deadline(sessions, clock, bot, coordinator):
    limburg = person("ULIMBURG")
    bot.run_line(limburg, "/chemclust join Limburg")
    bot.run_line(coordinator, '/deadline add "Data" in 1 hour for Limburg remind 0m')
    sender = RecordingSender()
    run = dispatcher(sessions, clock, sender)
    clock.advance(hours=1)
    run.run_once()
    for _day in range(1, 3):
        clock.advance(days=1)
        run.run_once()
    chased = [t.conversation for t, r in sender.sent if r.heading == "Limburg: Data"]
    assert chased == [{"user": "ULIMBURG"}] * 3  # at the deadline (0m), day 1, day 2
    assert "was due" in sender.texts()[-1]

    bot.run_line(limburg, "/deadline done D6")
    clock.advance(days=1)
    before = len(sender.sent)
    report = run.run_once()
    assert len(sender.sent) == before
    assert report.skipped == 1
    # A week of chasing at most.
    assert len(rows(sessions, kind="chase")) == 7


def test_cancelling_withdraws_reminders_and_posts_one_notice(sessions, clock, bot, coordinator):
    bot.run_line(coordinator, '/workshop add "Skills" in 3 days at 10:00')
    reply = bot.run_line(coordinator, "/workshop cancel W6")
    # 1d and 1h; the 7d moment had passed already
    assert "is cancelled; 2 pending reminder(s) withdrawn" in reply_text(reply)
    sender = RecordingSender()
    run = dispatcher(sessions, clock, sender)
    run.run_once()
    clock.advance(days=4)
    run.run_once()
    assert [r.heading for _, r in sender.sent] == ["Cancelled: Skills"]
    assert {r.status for r in rows(sessions, kind="lead")} == {"cancelled"}


def test_moving_replaces_the_reminders_and_tells_the_channel(sessions, clock, bot, coordinator):
    bot.run_line(coordinator, '/workshop add "Skills" in 3 days at 10:00 remind 1h')
    bot.run_line(coordinator, "/workshop move W6 in 5 days at 10:00")
    sender = RecordingSender()
    run = dispatcher(sessions, clock, sender)
    run.run_once()
    assert [r.heading for _, r in sender.sent] == ["Moved: Skills"]
    clock.advance(days=3)
    run.run_once()  # the old 1h reminder does not fire
    assert len(sender.sent) == 1
    clock.advance(days=2, hours=-1.5)  # 08:30 UTC: after 1h before 10:00 CET, before the start
    run.run_once()
    assert [r.heading for _, r in sender.sent][1:] == ["Reminder: Skills"]


def test_a_claim_left_by_a_dead_process_is_taken_over_after_its_lease(
    sessions, clock, bot, coordinator
):
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)
    with sessions.begin() as session:  # process "dead" claims the row, then dies
        claimed = claim_next(
            session=session,
            platforms=["slack"],
            now=clock.now,
            claimer="dead",
            lease=timedelta(minutes=2),
        )
    assert claimed is not None
    sender = RecordingSender()
    run = dispatcher(sessions, clock, sender, claimer="alive")
    assert run.run_once().handled == 0
    clock.advance(minutes=3)
    assert run.run_once().sent == 1
    assert rows(sessions, kind="lead")[0].claimed_by == "alive"


def test_rows_of_platforms_this_process_cannot_reach_are_left_alone(
    sessions, clock, bot, coordinator
):
    bot.run_line(coordinator, '/deadline add "Data" in 1 minute remind 0m')
    clock.advance(minutes=1)
    console_only = Dispatcher(sessions, {"console": RecordingSender()}, clock=clock, claimer="c")
    assert console_only.run_once().handled == 0
    assert rows(sessions, kind="lead")[0].status == "pending"


def test_two_dispatchers_racing_send_every_reminder_once(
    database_url, sessions, clock, bot, coordinator
):
    channels = [f"C{n:03d}" for n in range(12)]
    for channel in channels:
        where = Identity("slack", "UCOORD", "T0001", channel, "coordinator")
        bot.run_line(where, f'/deadline add "Data for {channel}" in 1 minute remind 0m')
    clock.advance(minutes=2)
    sender = RecordingSender()
    engines = [make_engine(database_url) for _ in range(2)]
    racers = [
        Dispatcher(make_session_factory(engine), {"slack": sender}, clock=clock, claimer=name)
        for engine, name in zip(engines, ("one", "two"), strict=True)
    ]
    start = threading.Barrier(2)

    def race(racer: Dispatcher) -> None:
        start.wait()
        for _ in range(3):
            racer.run_once()

    threads = [threading.Thread(target=race, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()

    sent_to = sorted(t.conversation["channel"] for t, _ in sender.sent)
    assert sent_to == channels
    with sessions() as session:
        assert session.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.status != "sent")
        ) == 7 * len(channels)  # the chases, not due yet
        assert session.scalar(select(func.count()).select_from(Event)) == 5 + len(channels)
