"""Replies as terminal text."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console.render import render
from commands.reply import (
    Actions,
    Bold,
    Button,
    Code,
    Column,
    Field,
    Fields,
    Link,
    Paragraph,
    Reply,
    Table,
    UserRef,
    When,
    text,
)


def test_heading_paragraphs_fields_table_buttons_and_footnote():
    reply = Reply(
        heading="Title",
        parts=(
            Paragraph(
                text(
                    "Hello ", Bold("world"), " see ", Link("docs", "https://x.org"), " ", Code("/x")
                )
            ),
            Fields((Field("Short", text("1")), Field("Longer label", text("2")))),
            Table((Column("Name"), Column("N", "right")), (("a", "1"), ("bbb", "22"))),
            Actions((Button("One", "a"), Button("Two", "b"))),
        ),
        footnote=text("Sample."),
    )
    assert render(reply).splitlines() == [
        "Title",
        "=====",
        "Hello world see docs <https://x.org> /x",
        "Short         1",
        "Longer label  2",
        "Name   N",
        "----  --",
        "a      1",
        "bbb   22",
        "[One]  [Two]",
        "",
        "Note: Sample.",
    ]


def test_people_and_times_in_plain_words():
    at = datetime(2026, 12, 15, 16, 0, tzinfo=UTC)
    reply = Reply(
        parts=(Paragraph(text(UserRef("U1", "ana"), " at ", When(at, "Europe/Brussels"))),)
    )
    assert render(reply) == "@ana at Tue 15 Dec 2026, 17:00 CET"
    month = Reply(parts=(Paragraph(text(When(at, "Europe/London", "month"))),))
    assert render(month) == "December 2026"
