"""The Home's reads: open deadlines per region, failed reminders, who was heard from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage.events import NewEvent, cancel_event, create_event, record_delivery
from storage.home import failed_reminders, heard_from, open_deadlines, open_milestones
from storage.milestones import add_milestone
from storage.models import Event, PilotUpdate, Reminder
from storage.pilots import list_pilots
from storage.regions import list_regions

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
GROUP = 1


def deadline(session, title: str, due: datetime, regions) -> int:
    new = NewEvent("deadline", title, due, "Europe/Brussels", [0], regions=list(regions))
    return create_event(session=session, group_id=GROUP, new=new).id


def test_open_deadlines_are_those_a_region_still_owes_from_the_chase_window_on(sessions):
    with sessions.begin() as session:
        regions = {r.key: r for r in list_regions(session=session, group_id=GROUP)}
        limburg, nrw = regions["limburg"], regions["north-rhine-westphalia"]
        both = deadline(session, "both", NOW + timedelta(days=3), [limburg, nrw])
        deadline(session, "nrw only", NOW + timedelta(days=2), [nrw])
        deadline(session, "long ago", NOW - timedelta(days=30), [limburg])
        passed = deadline(session, "passed", NOW - timedelta(days=2), [limburg])
        gone = deadline(session, "cancelled", NOW + timedelta(days=1), [limburg])
        cancel_event(session=session, event=session.get_one(Event, gone))
        delivered = deadline(session, "delivered", NOW + timedelta(days=4), [limburg, nrw])
        record_delivery(session=session, event_id=delivered, region_id=limburg.id)
    since = NOW - timedelta(days=7)
    with sessions() as session:
        own = open_deadlines(
            session=session, group_id=GROUP, since=since, limit=5, region_id=limburg.id
        )
        assert [e.id for e in own.rows] == [passed, both]
        assert own.more == 0
        every = open_deadlines(session=session, group_id=GROUP, since=since, limit=2)
        assert [e.title for e in every.rows] == ["passed", "nrw only"]
        assert (every.total, every.more) == (4, 2)  # "delivered" still owed by NRW


def test_failed_reminders_of_the_last_days_newest_first_with_their_events(sessions):
    def failed(hours_ago: float, error: str, event_id: int | None = None) -> Reminder:
        at = NOW - timedelta(hours=hours_ago)
        return Reminder(
            group_id=GROUP,
            event_id=event_id,
            kind="lead" if event_id else "notice",
            due_at=at,
            not_before=at,
            claimed_at=at,
            platform="slack",
            target={"channel": "C1"},
            payload={},
            status="failed",
            last_error=error,
        )

    with sessions.begin() as session:
        event = deadline(session, "data", NOW + timedelta(days=3), [])
        session.add_all(
            [failed(2, "newer", event), failed(30, "older"), failed(24 * 8, "last week")]
        )
    with sessions() as session:
        page = failed_reminders(
            session=session, group_id=GROUP, since=NOW - timedelta(days=7), limit=1
        )
        assert [(f.reminder.last_error, f.event.title) for f in page.rows] == [("newer", "data")]
        assert page.total == 2


def test_heard_from_and_open_milestones(sessions):
    with sessions.begin() as session:
        pilot = list_pilots(session=session, group_id=GROUP)[0]
        region = pilot.regions[0]

        def update(days_ago: int, message: str, **extra) -> PilotUpdate:
            at = NOW - timedelta(days=days_ago)
            fields = {"region_id": region.id, **extra}
            return PilotUpdate(
                group_id=GROUP,
                pilot_id=pilot.id,
                platform="slack",
                author_id="U1",
                text="x",
                source="message",
                channel_id="C1",
                message_id=message,
                posted_at=at,
                created_at=at,
                **fields,
            )

        session.add_all(
            [update(40, "1"), update(3, "2", removed_at=NOW), update(5, "3", region_id=None)]
        )
        milestones = {
            title: add_milestone(
                session=session,
                group_id=GROUP,
                pilot_id=pilot.id,
                title=title,
                due_on=due,
                created_by="U1",
                now=NOW,
            )
            for title, due in (
                ("late", date(2026, 11, 1)),
                ("done", date(2026, 11, 2)),
                ("soon", date(2026, 12, 5)),
                ("later", date(2027, 6, 1)),
            )
        }
        milestones["done"].done_at = NOW
    with sessions() as session:
        assert heard_from(session=session, group_id=GROUP, since=NOW - timedelta(days=30)) == set()
        session.add(update(1, "4"))
        session.flush()
        assert heard_from(session=session, group_id=GROUP, since=NOW - timedelta(days=30)) == {
            (pilot.id, region.id)
        }
        due = open_milestones(
            session=session,
            group_id=GROUP,
            pilot_ids=[pilot.id],
            due_by=date(2026, 12, 12),
            limit=5,
        )
        assert [m.title for m in due] == ["late", "soon"]
        assert (
            open_milestones(
                session=session, group_id=GROUP, pilot_ids=[], due_by=date(2026, 12, 12), limit=5
            )
            == []
        )
