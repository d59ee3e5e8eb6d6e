"""/workshop and /deadline through the command core, as a person types them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from commands.context import PERSON, Mention
from commands.events import calendar
from commands.reply import FormErrors
from storage.calendars import feed_token
from storage.events import record_delivery
from storage.models import CalendarFeed, Event, EventDelivery, Region, Reminder
from tests.conftest import PARTNER_ID
from tests.support.events import Clock, make_core, reply_text

PARTNER = (Mention(PERSON, PARTNER_ID, PARTNER_ID),)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def bot(sessions):
    return make_core(sessions, Clock(NOW))


def counts(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Event)),
            session.scalar(select(func.count()).select_from(Reminder)),
        )


def say(bot, who, line: str):
    reply = bot.run_line(who, line)
    return reply, reply_text(reply)


def test_a_coordinator_adds_a_deadline_and_sees_it_listed(bot, sessions, coordinator):
    reply, shown = say(
        bot, coordinator, '/deadline add "Benchmark data 2012" 15 Dec 17:00 for Limburg, NRW'
    )
    assert reply.private is False  # the channel sees the new deadline
    assert reply.heading == "New deadline: Benchmark data 2012"
    assert "Tue 15 Dec 2026, 17:00 CET" in shown
    assert "Limburg, North Rhine-Westphalia" in shown
    assert "14d,3d,1d,0m" in shown
    assert "D6" in shown
    assert counts(sessions) == (6, 4 + 7)  # four lead times, seven daily chases

    reply, listed = say(bot, coordinator, "/deadline list")
    assert reply.private is True
    assert "D6  Benchmark data 2012 — due Tue 15 Dec 2026, 17:00 CET" in listed
    assert "Missing: Limburg, North Rhine-Westphalia" in listed


def test_lists_are_soonest_first_with_ids_and_history(bot, coordinator):
    say(bot, coordinator, '/workshop add "Later" 20 Dec 10:00 at Leuna')
    say(bot, coordinator, '/workshop add seminar "Sooner" 5 Dec 10:00 pilot skills')
    _, listed = say(bot, coordinator, "/workshop list")
    assert listed.index("S7  Sooner") < listed.index("W6  Later")
    assert "pilot: Skills foresight" in listed
    _, past = say(bot, coordinator, "/workshop list past")
    assert (
        "S2  1st seminar: Chemical Clusters and Innovation Promotion — seminar, June 2010" in past
    )
    assert "Later" not in past


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('/deadline add "x" someday', "I cannot read “someday”"),
        ('/deadline add "x" 1 Jan 2020', "is in the past"),
        ('/deadline add "x" 2026-11-27T10:00', "is in the past"),
        ('/workshop add "x" 15 Dec', "gives a day but no time"),
        ("/deadline add x 15 Dec", "Put the title in quotes"),
        ('/deadline add "x"', "Say when"),
        (
            '/deadline add "x" 15 Dec for Atlantis',
            "I don't know a partner region called “Atlantis”",
        ),
        ('/deadline add "x" 15 Dec for Limburgg, Atlantis', "“Atlantis”"),
        ('/deadline add "x" 15 Dec remind 2 days', "is not a lead time"),
        ('/workshop add "x" 15 Dec 10:00 pilot gardening', "is not a pilot action I know"),
        ('/workshop add "x" 15 Dec 10:00 at', "Say what comes after “at”"),
    ],
)
def test_wrong_input_gets_a_private_answer_and_nothing_is_created(
    bot, sessions, coordinator, line, says
):
    before = counts(sessions)
    reply, shown = say(bot, coordinator, line)
    assert reply.private is True
    assert says in shown
    assert "Usage:" in shown or "Write it like" in shown
    assert counts(sessions) == before


@pytest.mark.parametrize(
    "line",
    [
        '/deadline add "x" 15 Dec 17:00',
        '/workshop add "x" 15 Dec 10:00',
        "/workshop move S2 15 Dec 10:00",
        "/deadline cancel D1",
        "/workshop calendar rotate",
    ],
)
def test_partners_are_refused_changes_and_nothing_is_written(bot, sessions, partner, line):
    before = counts(sessions)
    reply, shown = say(bot, partner, line)
    assert reply.private is True
    assert "Only coordinators" in shown
    assert counts(sessions) == before


def test_add_with_nothing_after_it_opens_a_form_where_there_are_forms(bot, coordinator):
    reply, shown = say(bot, coordinator, "/deadline add")
    assert reply.form is None
    assert "Usage:" in shown  # the console has no forms
    form_reply = bot.run_command(coordinator, "deadline", "add", can_open_forms=True)
    assert form_reply.form is not None
    assert form_reply.form.form_id == "events.deadline.add"
    names = [f.name for f in form_reply.form.fields]
    assert names == ["title", "when", "regions", "remind"]
    workshop = bot.run_command(coordinator, "workshop", "add", can_open_forms=True).form
    assert [f.name for f in workshop.fields] == [
        "title",
        "when",
        "kind",
        "place",
        "pilot",
        "remind",
    ]


def test_the_form_answers_every_wrong_field_then_creates(bot, sessions, coordinator):
    before = counts(sessions)
    token = bot.run_command(coordinator, "deadline", "add", can_open_forms=True).form.state
    with pytest.raises(FormErrors) as wrong:
        bot.submit_form(
            coordinator,
            "events.deadline.add",
            {"title": " ", "when": "last Tuesday", "regions": "Atlantis", "remind": "soon"},
            token,
        )
    assert set(wrong.value.errors) == {"title", "when", "regions", "remind"}
    assert "in the past" in wrong.value.errors["when"]
    assert counts(sessions) == before

    reply = bot.submit_form(
        coordinator,
        "events.deadline.add",
        {
            "title": "Implementation reports",
            "when": "15/12/2026 17:00",
            "regions": "",
            "remind": "",
        },
        token,
    ).reply
    assert reply.heading == "New deadline: Implementation reports"
    assert "Ústí" in reply_text(reply)  # empty regions = every region


def test_partner_cannot_submit_the_form_either(bot, sessions, partner, coordinator):
    """Whoever submits is checked again, whatever they could do when the form was opened."""
    values = {"title": "x", "when": "15 Dec 10:00"}
    bot.run_line(coordinator, f"/chemclust coordinator add @{partner.user_id}", mentions=PARTNER)
    token = bot.run_command(partner, "workshop", "add", can_open_forms=True).form.state
    bot.run_line(coordinator, f"/chemclust coordinator remove @{partner.user_id}", mentions=PARTNER)
    before = counts(sessions)
    with pytest.raises(FormErrors) as refused:
        bot.submit_form(partner, "events.workshop.add", values, token)
    assert "Only coordinators" in refused.value.errors["title"]
    assert counts(sessions) == before


def test_deliveries_partners_for_their_region_coordinators_for_any(
    bot, sessions, coordinator, partner
):
    say(bot, coordinator, '/deadline add "Data" 15 Dec 17:00 for Limburg, NRW, Asturias')
    _, shown = say(bot, partner, "/deadline done D6")
    assert "You have not said which region you represent" in shown
    say(bot, partner, "/chemclust join Limburg")
    reply, shown = say(bot, partner, "/deadline done D6")
    assert reply.private is False
    assert "Limburg has delivered for deadline D6" in shown
    assert "Still missing: Asturias, North Rhine-Westphalia" in shown
    _, again = say(bot, partner, "/deadline done D6")
    assert "already recorded" in again
    _, refused = say(bot, partner, "/deadline done D6 NRW")
    assert "only a coordinator can record a delivery for North Rhine-Westphalia" in refused
    _, not_asked = say(bot, coordinator, "/deadline done D6 Novara")
    assert "Novara is not asked to deliver for D6" in not_asked
    say(bot, coordinator, "/deadline done D6 NRW")
    _, listed = say(bot, coordinator, "/deadline list")
    assert "Missing: Asturias   Delivered: Limburg, North Rhine-Westphalia" in listed
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(EventDelivery)) == 2


def test_record_delivery_is_idempotent_for_other_features(bot, sessions, coordinator):
    say(bot, coordinator, '/deadline add "Data" 15 Dec 17:00 for Limburg')
    with sessions.begin() as session:
        event = session.scalar(select(Event).where(Event.number == 6))
        limburg = session.scalar(select(Region).where(Region.key == "limburg"))
        first, created = record_delivery(session=session, event_id=event.id, region_id=limburg.id)
        second, again = record_delivery(session=session, event_id=event.id, region_id=limburg.id)
        assert (created, again) == (True, False)
        assert first.id == second.id
    _, listed = say(bot, coordinator, "/deadline list")
    assert "Every region has delivered" in listed


def test_ids_are_checked_against_the_kind(bot, coordinator):
    _, shown = say(bot, coordinator, "/deadline move S2 15 Dec")
    assert "S2 is a seminar; use /workshop for it" in shown
    _, shown = say(bot, coordinator, "/workshop cancel D2")
    assert "did you mean S2" in shown
    _, shown = say(bot, coordinator, "/workshop cancel W99")
    assert "There is no event W99" in shown
    _, shown = say(bot, coordinator, "/workshop cancel S2")
    assert "already taken place" in shown


def test_calendar_link_file_and_rotation(bot, sessions, coordinator):
    reply, shown = say(bot, coordinator, "/workshop calendar")
    assert reply.private is True
    with sessions() as session:
        token = feed_token(session=session, group_id=1)
    assert f"https://bot.example.org/calendar/{token}.ics" in shown
    (attachment,) = reply.files
    assert attachment.mime_type == "text/calendar"
    assert attachment.content.startswith(b"BEGIN:VCALENDAR")
    _, rotated = say(bot, coordinator, "/workshop calendar rotate")
    with sessions() as session:
        new_token = session.scalar(select(CalendarFeed.token))
    assert new_token != token
    assert new_token in rotated
    assert "previous address no longer works" in rotated


def test_the_calendar_feed_holds_everything_upcoming_and_the_latest_past(
    sessions, coordinator, monkeypatch
):
    monkeypatch.setattr(calendar, "PAST_IN_FEED", 2)
    clock = Clock(datetime(2025, 6, 1, 9, 0, tzinfo=UTC))
    bot = make_core(sessions, clock)
    say(bot, coordinator, '/workshop add "Summer school" 20 Jun 2025 10:00 at Leuna')
    say(bot, coordinator, '/deadline add "Winter figures" 15 Dec 2025 17:00')
    clock.now = NOW
    say(bot, coordinator, '/workshop add "Next spring" 20 Mar 2027 10:00 at Leuna')
    with sessions() as session:
        events = session.scalars(select(Event).where(Event.group_id == 1)).all()
        feed = calendar.group_calendar(sessions, group_id=1, now=NOW).decode()
    past = sorted((e for e in events if e.starts_at < NOW), key=lambda e: e.starts_at)
    upcoming = [e for e in events if e.starts_at >= NOW]
    assert len(past) > 2, "the seed has older history"
    assert upcoming
    listed = [line.removeprefix("UID:") for line in feed.splitlines() if line.startswith("UID:")]
    assert set(listed) == {calendar.event_uid(e) for e in [*past[-2:], *upcoming]}
    assert "Next spring" in feed
    assert "Winter figures" in feed  # the latest past one
    assert "Summer school" in feed  # the one before
    assert past[-3].title not in feed  # older: only in list past
