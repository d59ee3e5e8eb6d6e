"""/home through the command core: what a partner, a coordinator and a newcomer see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from commands.reminders.messages import CALENDAR_ACTION, DELIVERED_ACTION
from commands.reply import Actions, Button, Paragraph, Reply
from storage.models import Event, EventDelivery, Member, Reminder
from tests.support.events import Clock, make_core, reply_text

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def bot(sessions):
    return make_core(sessions, Clock(NOW))


def say(bot, who, line: str) -> tuple[Reply, str]:
    reply = bot.run_line(who, line)
    assert reply is not None
    return reply, reply_text(reply)


def buttons(reply: Reply) -> list[Button]:
    found = []
    for part in reply.parts:
        if isinstance(part, Paragraph) and part.button:
            found.append(part.button)
        elif isinstance(part, Actions):
            found += part.buttons
    return found


def button(reply: Reply, label: str) -> Button:
    return next(b for b in buttons(reply) if b.label == label)


def event_id(sessions, ref_number: int) -> int:
    with sessions() as session:
        return session.scalar(select(Event.id).where(Event.number == ref_number))


def test_a_partner_sees_their_region_its_deadlines_pilots_and_workshops(bot, coordinator, partner):
    say(bot, partner, "/chemclust join Limburg")
    say(bot, coordinator, '/deadline add "Benchmark data 2014" 15 Dec 17:00 for Limburg, NRW')
    say(bot, coordinator, '/deadline add "Cluster survey" 16 Dec 17:00 for NRW')
    say(bot, coordinator, '/workshop add "OI workshop" 3 Dec 10:00 at Geleen')
    say(bot, coordinator, '/workshop add "Far away" 20 Dec 10:00')
    say(bot, partner, "/pilot log open innovation Met the cluster managers [on track]")
    say(bot, coordinator, '/pilot milestone add open innovation "Interim report" due 25 Nov 2026')

    reply, shown = say(bot, partner, "home")
    assert reply.private is True
    assert "You represent Limburg, as a partner." in shown
    # The benchmark: index, rank, change, strongest and weakest, labelled as sample figures.
    assert "Limburg in the benchmark · 2012 update (illustrative sample figures)" in shown
    assert "77.5 / 100" in shown
    assert "1 of 10 partner regions" in shown
    assert "+5.6 points" in shown
    assert "Strongest" in shown
    assert "Weakest" in shown
    assert "Illustrative sample figures" in reply_text(Reply(footnote=reply.footnote))
    assert button(reply, "Profile").value == "limburg@2012 update"
    assert button(reply, "Chart").value == "limburg@2012 update"
    # Its open deadline, due in the reader's zone, with Mark delivered; not another region's.
    assert "D6  Benchmark data 2014 — due Tue 15 Dec 2026, 17:00 CET" in shown
    assert "Cluster survey" not in shown
    delivered = button(reply, "Mark delivered")
    assert (delivered.action_id, delivered.value) == (DELIVERED_ACTION, "6")
    # The pilot Limburg is in: the update, the overdue milestone, a button to log another.
    assert "Pilot actions Limburg is in" in shown
    assert "[on track] Met the cluster managers" in shown
    assert "M1 Interim report — overdue since Wed 25 Nov 2026" in shown
    assert button(reply, "Log an update").value == "open-innovation"
    # Workshops of the next 14 days only, each with Add to calendar.
    assert "W8  OI workshop — workshop, Thu 03 Dec 2026, 10:00 CET, Geleen" in shown
    assert "Far away" not in shown
    assert button(reply, "Add to calendar").action_id == CALENDAR_ACTION
    assert "For coordinators" not in shown


def test_the_mark_delivered_button_takes_the_deadline_off_the_home(bot, coordinator, partner):
    say(bot, partner, "/chemclust join Limburg")
    say(bot, coordinator, '/deadline add "Benchmark data 2014" 15 Dec 17:00 for Limburg, NRW')
    home, _ = say(bot, partner, "/home")
    pressed = button(home, "Mark delivered")
    answer = bot.run_action(partner, pressed.action_id, pressed.value)
    assert "Limburg has delivered for deadline D6" in reply_text(answer)
    home, shown = say(bot, partner, "/home")
    assert "Nothing is waiting for Limburg." in shown
    assert "Mark delivered" not in [b.label for b in buttons(home)]


def failed_reminder(*, days_ago: int, **fields) -> Reminder:
    at = NOW - timedelta(days=days_ago)
    kind = "lead" if fields.get("event_id") else "notice"
    return Reminder(
        group_id=1,
        kind=kind,
        due_at=at,
        not_before=at,
        claimed_at=at,
        platform="slack",
        payload={},
        status="failed",
        **fields,
    )


def test_a_coordinator_sees_missing_regions_failures_and_silent_regions(
    bot, sessions, coordinator, partner
):
    say(bot, coordinator, '/deadline add "Benchmark data 2014" 15 Dec 17:00 for Limburg, NRW')
    say(bot, coordinator, "/deadline done D6 Limburg")
    say(bot, coordinator, '/deadline add "Old one" 1 Dec 17:00 for Asturias')
    with sessions.begin() as session:
        session.add(
            failed_reminder(
                days_ago=2,
                event_id=event_id(sessions, 6),
                target={"channel": "CPILOTS"},
                last_error="Slack refused the message: channel_not_found <!channel>",
            )
        )
        # One failed long ago: not the coordinators' business this week.
        session.add(failed_reminder(days_ago=20, target={"user": "UOLD"}, last_error="too old"))
    say(bot, partner, "/chemclust join Novara")
    say(bot, partner, "/pilot log skills Trained 12 teachers")

    reply, shown = say(bot, coordinator, "home")
    assert "You are a coordinator and represent no region." in shown
    assert len([b for b in buttons(reply) if b.action_id == "chemclust.join"]) == 10
    assert "For coordinators" in shown
    open_deadlines = shown.split("Open deadlines: regions still missing", 1)[1]
    assert "D7  Old one — due Tue 01 Dec 2026, 17:00 CET\nMissing: Asturias" in open_deadlines
    assert "D6  Benchmark data 2014" in open_deadlines
    assert "Missing: North Rhine-Westphalia" in open_deadlines
    assert "D6 Benchmark data 2014 → channel CPILOTS: Slack refused" in shown
    assert "too old" not in shown
    silent = shown.split("Regions silent for 30 days", 1)[1]
    assert "Skills foresight: Cheshire West and Chester, Masovia, Tees Valley" in silent
    assert [b.label for b in buttons(reply)][-2:] == ["Add workshop", "Add deadline"]
    # No region: no benchmark figures, so nothing to label as sample.
    assert reply.footnote is None


def test_someone_without_a_region_gets_the_picker_and_joining_fills_the_home(bot, partner):
    reply, shown = say(bot, partner, "home")
    assert "You have not said which region you represent yet." in shown
    picker = [b for b in buttons(reply) if b.action_id == "chemclust.join"]
    assert [b.label for b in picker][:2] == ["Asturias", "Cheshire West and Chester"]
    assert len(picker) == 10
    assert "in the benchmark" not in shown
    assert "open data deadlines" not in shown
    assert "Workshops and seminars, next 14 days" in shown

    limburg = next(b for b in picker if b.label == "Limburg")
    bot.run_action(partner, limburg.action_id, limburg.value)
    _, shown = say(bot, partner, "home")
    assert "You represent Limburg, as a partner." in shown
    assert "Limburg in the benchmark" in shown


def test_long_lists_are_cut_and_counted(bot, coordinator, partner):
    say(bot, partner, "/chemclust join Limburg")
    for day in range(1, 9):
        say(bot, coordinator, f'/deadline add "Data {day}" {day + 1} Dec 17:00 for Limburg')
        say(bot, coordinator, f'/workshop add "Workshop {day}" {day + 1} Dec 10:00')
    _, shown = say(bot, partner, "home")
    assert "Data 5" in shown
    assert "Data 6" not in shown
    assert "…and 3 more: /deadline list" in shown
    assert "Workshop 6" in shown
    assert "Workshop 7" not in shown
    assert "…and 2 more: /workshop list" in shown


def test_home_takes_no_arguments_and_writes_nothing(bot, sessions, partner):
    reply, shown = say(bot, partner, "/home Limburg")
    assert reply.private is True
    assert "/home takes nothing after it" in shown
    assert "Usage: /home" in shown
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_buttons_that_open_forms_open_them_where_there_are_forms(bot, coordinator, partner):
    say(bot, partner, "/chemclust join Limburg")
    home, _ = say(bot, partner, "home")
    log = button(home, "Log an update")
    # The console cannot open forms: the button says how to write it instead.
    answer = reply_text(bot.run_action(partner, log.action_id, log.value))
    assert "Write what happened in Open innovation." in answer
    assert "/pilot log <pilot>" in answer
    refused = reply_text(bot.run_action(partner, "home.add_workshop", ""))
    assert "Only coordinators can add workshops" in refused
    said = reply_text(bot.run_action(coordinator, "home.add_deadline", ""))
    assert "Say what to add and when." in said
    gone = reply_text(bot.run_action(partner, log.action_id, "gardening"))
    assert "no longer in the working group" in gone


def test_the_chart_button_draws_the_regions_chart(bot, partner):
    say(bot, partner, "/chemclust join Limburg")
    home, _ = say(bot, partner, "home")
    chart = button(home, "Chart")
    answer = bot.run_action(partner, chart.action_id, chart.value)
    assert [f.mime_type for f in answer.files] == ["image/png"]
    stale = reply_text(bot.run_action(partner, chart.action_id, "atlantis@2012 update"))
    assert "no longer in the benchmark" in stale


def test_a_delivered_deadline_is_no_business_of_the_home(sessions, bot, coordinator, partner):
    """Every deadline delivered by all its regions drops off the coordinators' list too."""
    say(bot, coordinator, '/deadline add "Benchmark data 2014" 15 Dec 17:00 for Limburg')
    say(bot, coordinator, "/deadline done D6 Limburg")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(EventDelivery)) == 1
    _, shown = say(bot, coordinator, "home")
    assert "No open deadlines." in shown


def test_a_consultation_awaiting_the_region_is_on_its_home_until_it_endorses(
    bot, coordinator, partner
):
    say(bot, partner, "/chemclust join Limburg")
    say(
        bot,
        coordinator,
        '/recommendation add "Shared pilot plants" level european pilot parks '
        "| Regions should co-fund pilot plants that SMEs can rent by the week.",
    )
    reply, shown = say(bot, partner, "home")
    assert "awaiting Limburg's endorsement" not in shown  # a draft is not under consultation
    say(bot, coordinator, "/recommendation consult R1 until 2 Dec 17:00")

    reply, shown = say(bot, partner, "home")
    assert "Recommendations awaiting Limburg's endorsement" in shown
    assert "R1" in shown
    assert "Shared pilot plants — closes" in shown
    endorse = button(reply, "Endorse")
    assert endorse.value == "recommendation endorse R1"

    answer = reply_text(bot.run_action(partner, endorse.action_id, endorse.value))
    assert "Limburg" in answer
    _, shown = say(bot, partner, "home")
    assert "awaiting Limburg's endorsement" not in shown
    # The coordinator's own Home, without a region, shows no such section.
    _, shown = say(bot, coordinator, "home")
    assert "awaiting" not in shown
