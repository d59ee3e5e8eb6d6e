"""``/recommendation`` through the command core, as people type it, with the dispatcher run
on a clock moved by hand: add, endorse, consult (reminders), close, adopt, export."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from sqlalchemy import func, select

from commands.context import Identity
from commands.reminders.dispatch import Dispatcher
from storage.models import Endorsement, Recommendation, RecommendationComment, Reminder
from tests.conftest import FIXED_NOW
from tests.support.events import Clock, RecordingSender, make_core, reply_text

ADD = (
    '/recommendation add "Shared pilot plants" level european pilot parks theme R&D '
    "| Regions should co-fund pilot plants that SMEs can rent by the week."
)


def person(user_id: str) -> Identity:
    return Identity("slack", user_id, "T0001", "CGENERAL", user_id.lower())


MASOVIA, LIMBURG, ASTURIAS = person("UMASOVIA"), person("ULIMBURG"), person("UASTURIAS")


@pytest.fixture
def clock():
    return Clock(FIXED_NOW)


@pytest.fixture
def bot(sessions, clock):
    return make_core(sessions, clock)


@pytest.fixture
def members(bot):
    for who, region in ((MASOVIA, "Masovia"), (LIMBURG, "Limburg"), (ASTURIAS, "Asturias")):
        bot.run_line(who, f"/chemclust join {region}")


def say(bot, who, line: str) -> tuple:
    reply = bot.run_line(who, line)
    return reply, reply_text(reply)


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_recommendation_from_draft_to_adopted_and_exported(
    bot, sessions, clock, coordinator, members
):
    added, shown = say(bot, coordinator, ADD)
    assert added.private is False
    assert added.heading == "New recommendation R1: Shared pilot plants"
    assert "European level · pilot Chemical parks as knowledge sites · theme R&D" in shown

    _endorsed, shown = say(bot, MASOVIA, "/recommendation endorse R1")
    assert "Masovia endorses R1" in shown
    _, shown = say(bot, MASOVIA, "/recommendation endorse R1")
    assert "Masovia has endorsed R1 already; nothing changed." in shown
    _, shown = say(bot, LIMBURG, "/recommendation comment R1 Add a line on safety training.")
    assert "Comment on R1 from Limburg: Add a line on safety training." in shown

    consulted, shown = say(bot, coordinator, "/recommendation consult R1 until 2 Dec 17:00")
    assert consulted.private is False
    assert "Endorsed so far by: Masovia" in shown
    with sessions() as session:
        reminders = list(session.scalars(select(Reminder).order_by(Reminder.id)))
    # Limburg's and Asturias' members are reminded, Masovia's not; the close is announced.
    assert sorted(r.target.get("user", "") for r in reminders if r.kind == "direct") == [
        "UASTURIAS",
        "ULIMBURG",
    ]
    assert [r.target for r in reminders if r.kind == "notice"] == [
        {"channel": "CGENERAL", "workspace": "T0001"}
    ]

    sender = RecordingSender()
    dispatcher = Dispatcher(sessions, {"slack": sender}, clock=clock, claimer="A")
    assert dispatcher.run_once().sent == 0
    say(bot, ASTURIAS, "/recommendation endorse R1")  # stops Asturias' reminder
    clock.advance(days=3, hours=7)  # past a day before the close
    report = dispatcher.run_once()
    assert (report.sent, report.skipped) == (1, 1)
    ((target, reminder),) = sender.sent
    assert target.conversation == {"user": "ULIMBURG"}
    assert reminder.heading == "Your region has not endorsed R1 yet"
    assert "closes Wed 02 Dec 2026, 17:00 CET" in sender.texts()[0]
    clock.advance(hours=12)
    assert dispatcher.run_once().handled == 0  # once each

    _, shown = say(bot, coordinator, "/recommendation adopt R1")
    assert "can be adopted once its consultation has closed" in shown
    clock.advance(hours=12)
    assert dispatcher.run_once().sent == 1
    closed = sender.texts()[1]
    assert "Consultation closed: R1 Shared pilot plants" in closed
    assert "Endorsed by: Asturias, Masovia." in closed
    _, shown = say(bot, LIMBURG, "/recommendation endorse R1")
    assert "has closed; its endorsements are final" in shown

    adopted, shown = say(bot, coordinator, "/recommendation adopt R1")
    assert adopted.private is False
    assert adopted.heading == "Adopted: R1 Shared pilot plants"

    exported = bot.run_line(LIMBURG, "/recommendation export")
    assert exported.private is True
    document, table = exported.files
    word = Document(io.BytesIO(document.content))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [("Heading 1", "At European level"), ("Heading 2", "R1 Shared pilot plants")]
    assert any("Asturias, Masovia (2 of 10 regions)" in p.text for p in word.paragraphs)
    (row,) = csv.DictReader(io.StringIO(table.content.decode("utf-8")))
    assert (row["Id"], row["Endorsed by"], row["Endorsements"]) == ("R1", "Asturias, Masovia", "2")

    listed, shown = say(bot, MASOVIA, "/recommendation list")
    assert listed.private is True
    assert "R1 Shared pilot plants" in shown
    assert "endorsed by 2 regions" in shown
    _, shown = say(bot, MASOVIA, "/recommendation show R1")
    assert "limburg (Limburg): Add a line on safety training." in shown


def test_withdrawing_an_endorsement_brings_the_reminder_back(
    bot, sessions, clock, coordinator, members
):
    say(bot, coordinator, ADD)
    say(bot, MASOVIA, "/recommendation endorse R1")
    say(bot, coordinator, "/recommendation consult R1 until 30 Nov 12:00")
    _, shown = say(bot, MASOVIA, "/recommendation withdraw R1")
    assert "Masovia withdraws its endorsement of R1" in shown
    say(bot, coordinator, "/recommendation endorse R1 for Limburg")
    sender = RecordingSender()
    clock.advance(days=1, hours=2)
    Dispatcher(sessions, {"slack": sender}, clock=clock, claimer="A").run_once()
    assert sorted(t.conversation["user"] for t, _ in sender.sent) == ["UASTURIAS"]


@pytest.mark.parametrize(
    ("who", "line", "says"),
    [
        ("partner", ADD, "Only a coordinator can add a recommendation."),
        (
            "coordinator",
            "/recommendation add Shared plants level european | x",
            "Put the title in quotes.",
        ),
        (
            "coordinator",
            '/recommendation add "x" level global | text',
            "The level is european or regional, not “global”.",
        ),
        ("coordinator", '/recommendation add "x" | text', "The level is european or regional."),
        (
            "coordinator",
            '/recommendation add "x" level eu pilot robotics | t',
            "I don't know a pilot called “robotics”",
        ),
        ("coordinator", '/recommendation add "x" level eu', "Write the text after “|”."),
        (
            "coordinator",
            '/recommendation add "x" level eu level regional | t',
            "“level” is given twice.",
        ),
        ("coordinator", '/recommendation add "x" soon level eu | t', "not “soon”"),
        ("coordinator", "/recommendation frobnicate", "/recommendation has no “frobnicate”."),
        ("coordinator", "/recommendation show", "Say which recommendation, by its id (R3)."),
        ("coordinator", "/recommendation show R99", "There is no recommendation R99."),
        ("coordinator", "/recommendation show Rx", "“Rx” is not a recommendation id"),
        ("coordinator", "/recommendation consult R1", "Say until when the consultation runs"),
        ("coordinator", "/recommendation consult R1 until yesterday", "is in the past"),
        (
            "coordinator",
            "/recommendation adopt R1",
            "can be adopted once its consultation has closed",
        ),
        ("coordinator", "/recommendation export", "No recommendation has been adopted yet"),
        (
            "partner",
            "/recommendation consult R1 until in 2 days",
            "Only a coordinator can open a consultation.",
        ),
        ("partner", "/recommendation adopt R1", "Only a coordinator can adopt a recommendation."),
        (
            "partner",
            "/recommendation endorse R1 for Limburg",
            "partners endorse for their own region only, not for Limburg",
        ),
        (
            "partner",
            "/recommendation endorse R1 with Limburg",
            "After the id comes “for <region>” or nothing",
        ),
        (
            "partner",
            "/recommendation endorse R1 for Atlantis",
            "I don't know a partner region called “Atlantis”",
        ),
        ("newcomer", "/recommendation endorse R1", "Say which region you represent first"),
        ("partner", "/recommendation comment R1", "Write the comment after the id."),
    ],
)
def test_wrong_input_is_answered_privately_and_writes_nothing(
    bot, sessions, coordinator, partner, who, line, says
):
    say(bot, coordinator, ADD)
    bot.run_line(partner, "/chemclust join Masovia")
    before = [
        count(sessions, m) for m in (Recommendation, Endorsement, RecommendationComment, Reminder)
    ]
    people = {"partner": partner, "coordinator": coordinator, "newcomer": person("UNEW")}
    reply, shown = say(bot, people[who], line)
    assert reply.private is True
    assert says in shown
    after = [
        count(sessions, m) for m in (Recommendation, Endorsement, RecommendationComment, Reminder)
    ]
    assert after == before
