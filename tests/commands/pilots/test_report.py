"""``/pilot report``: the implementation report as a Word document, through the command core."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.conftest import FIXED_NOW
from tests.support.events import Clock, make_core, reply_text

HEADINGS = {
    "Summary by region",
    "Milestones",
    "Workshops and seminars",
    "Updates by region",
    "Good practices linked to the pilot",
    "Updates per month by region",
}


@pytest.fixture
def clock():
    return Clock(FIXED_NOW)


@pytest.fixture
def bot(sessions, clock):
    return make_core(sessions, clock)


def document_of(reply) -> Document:
    (attachment,) = reply.files
    assert attachment.filename.endswith(".docx")
    return Document(io.BytesIO(attachment.content))


def table_texts(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def headings(document, level: int) -> list[str]:
    style = f"Heading {level}" if level else "Title"
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_report_after_updates_a_milestone_and_a_workshop(bot, clock, partner, coordinator):
    bot.run_line(partner, "/chemclust join Masovia")
    bot.run_line(coordinator, "/chemclust join Tees Valley")
    bot.run_line(partner, "/pilot log skills Teacher training held in Warsaw [on track]")
    clock.advance(days=3)
    bot.run_line(coordinator, "/pilot log skills Survey of employers sent out")
    bot.run_line(coordinator, '/pilot milestone add skills "Curriculum draft" due 15 Dec 2026')
    bot.run_line(partner, "/pilot log skills Curriculum outline shared [M1]")
    bot.run_line(coordinator, '/workshop add "Skills workshop" 10 Dec 10:00 at Wilton pilot skills')

    reply = bot.run_line(partner, "/pilot report skills")
    assert reply.private is True
    assert "3 updates" in reply_text(reply)
    document = document_of(reply)
    assert headings(document, 0) == ["Implementation report: Skills foresight"]
    assert set(headings(document, 1)) >= HEADINGS
    assert {"Masovia", "Tees Valley"} <= set(headings(document, 2))

    tables = table_texts(document)
    summary = tables[0]
    assert summary[0] == ["Region", "Updates", "Last update", "Milestones", "Latest status"]
    assert ["Masovia", "2", "01 Dec 2026", "M1", "on track"] in summary
    assert summary[-1][:2] == ["All regions", "3"]
    assert ["M1", "Curriculum draft", "15 Dec 2026", "—", "open"] in tables[1]
    workshop = next(row for row in tables[2] if row[2] == "Skills workshop")
    assert workshop[3:] == ["10 Dec 2026, 10:00 CET", "Wilton", "planned"]
    masovia = next(t for t in tables if t[1][4] == "Teacher training held in Warsaw")
    assert [row[0] for row in masovia[1:]] == ["28 Nov 2026", "01 Dec 2026"]
    assert masovia[1][1] == "partner"
    assert len(document.inline_shapes) == 1  # the chart


def test_a_period_keeps_only_its_updates(bot, clock, partner):
    bot.run_line(partner, "/chemclust join Masovia")
    bot.run_line(partner, "/pilot log skills First")
    clock.advance(days=40)
    bot.run_line(partner, "/pilot log skills Second")
    reply = bot.run_line(partner, "/pilot report skills from 1 Jan 2027")
    texts = [cell for table in table_texts(document_of(reply)) for row in table for cell in row]
    assert "Second" in texts
    assert "First" not in texts


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("/pilot report", "Say which pilot."),
        ("/pilot report robotics", "I don't know a pilot called “robotics”"),
        ("/pilot report skills from someday", "I cannot read “someday” as a day."),
        ("/pilot report skills from 2026-05-01 to 2026-01-01", "ends (01 Jan 2026) before"),
        ("/pilot report skills from 1 Jan 2030", "starts in the future"),
        ("/pilot report skills from 1 Jan from 2 Jan", "“from” is given twice."),
        ("/pilot report skills to", "Say which day comes after “to”."),
    ],
)
def test_wrong_input_is_answered_privately_with_usage(bot, partner, line, says):
    reply = bot.run_line(partner, line)
    assert reply.private is True
    assert not reply.files
    shown = reply_text(reply)
    assert says in shown
    assert "/pilot report <pilot> [from <date>] [to <date>]" in shown
