"""Fitting an answer to Block Kit keeps what fits: oversized blocks are cut down, not dropped."""

from __future__ import annotations

import re

from slack_sdk.models.blocks import Block
from sqlalchemy import select

from bot.slack.limits import MAX_SECTION_TEXT, MAX_TOTAL_TEXT, problems, text_size
from bot.slack.render import blocks
from commands.reply import (
    Actions,
    Bold,
    Button,
    Column,
    Field,
    Fields,
    Paragraph,
    Reply,
    Table,
    UserRef,
    text,
)
from storage.models import PARTNER, Member, Region
from tests.bot.slack.test_http_endpoint import assert_valid_blocks
from tests.bot.slack.test_user_text_over_http import answer_to

MENTION = re.compile(r"<@U\d+>")
MORE = re.compile(r"…and (\d+) more")
BROKEN_ESCAPE = re.compile(r"&(?!amp;|lt;|gt;)")


def valid(rendered: list[dict]) -> list[dict]:
    for block in rendered:
        Block.parse(block).to_dict()  # slack_sdk's own validation of every block
    assert problems(rendered) == []
    return rendered


def people(count: int, start: int = 0) -> tuple:
    pieces: list = []
    for number in range(start, start + count):
        if pieces:
            pieces.append(", ")
        pieces.append(UserRef(f"U{number:08d}", f"person {number}"))
    return tuple(pieces)


def shown_texts(rendered: list[dict]) -> list[str]:
    found = []
    for block in rendered:
        found += [f["text"] for f in block.get("fields", [])]
        if block["type"] == "section" and "text" in block:
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return found


def who_reply(regions: int = 10, each: int = 100) -> Reply:
    fields = tuple(
        Field(f"Region {r}", people(each, start=r * each)) for r in range(regions)
    )  # fmt: skip
    return Reply(
        heading="Who is who",
        parts=(
            Fields(fields),
            Paragraph(text(Bold("Coordinators: "), *people(2, start=99_000))),
            Paragraph(text("Say which region you represent: /chemclust join <region>")),
        ),
    )


def test_a_thousand_members_show_every_region_and_count_the_rest():
    rendered = valid(blocks(who_reply()))
    fields = [f["text"] for b in rendered for f in b.get("fields", [])]
    assert len(fields) == 10
    for number, field in enumerate(fields):
        assert field.startswith(f"*Region {number}*\n<@U")
        [left_out] = MORE.findall(field)
        assert len(MENTION.findall(field)) + int(left_out) == 100
        assert len(MENTION.findall(field)) >= 40
    said = "\n".join(shown_texts(rendered))
    assert "*Coordinators:* <@U00099000>, <@U00099001>" in said
    assert "/chemclust join" in said
    assert text_size(rendered) > MAX_TOTAL_TEXT * 0.9  # as much as fits, not far less


def test_one_field_over_2000_characters_is_cut_between_people():
    reply = Reply(parts=(Fields((Field("Small", text("a few")), Field("Huge", people(500)))),))
    rendered = valid(blocks(reply))
    small, huge = rendered[0]["fields"]
    assert small["text"] == "*Small*\na few"
    assert len(huge["text"]) <= 2000
    shown = len(MENTION.findall(huge["text"]))
    assert huge["text"].endswith(f"<@U{shown - 1:08d}> …and {500 - shown} more")


def test_more_than_ten_fields_are_spread_over_sections():
    reply = Reply(parts=(Fields(tuple(Field(f"F{n}", text(f"v{n}")) for n in range(23))),))
    rendered = valid(blocks(reply))
    assert [len(b["fields"]) for b in rendered] == [10, 10, 3]


def test_a_very_long_paragraph_is_split_and_the_rest_clipped_never_inside_markup():
    words = " ".join(f"w{n} & <x>" for n in range(6000))
    long_line = "y" * 7000
    reply = Reply(
        heading="Long",
        parts=(Paragraph(text("Start ", Bold("here"), "\n", long_line, "\n", words)),),
        footnote=text("Sample data."),
    )
    rendered = valid(blocks(reply))
    sections = [b["text"]["text"] for b in rendered if b["type"] == "section"]
    assert all(len(s) <= MAX_SECTION_TEXT for s in sections)
    assert sections[0] == "Start *here*"
    joined = "".join(sections)
    assert joined.count("y") == 7000  # the long line whole, over three sections
    assert not BROKEN_ESCAPE.search(joined)
    assert sections[-1].endswith("…")
    assert rendered[-1]["elements"][0]["text"] == "Sample data."
    assert text_size(rendered) > MAX_TOTAL_TEXT * 0.9


def test_many_table_rows_count_exactly_what_was_left_out():
    rows = tuple((f"region {n}", "x" * 80) for n in range(1000))
    rendered = valid(blocks(Reply(parts=(Table((Column("R"), Column("V")), rows),))))
    shown = sum(t.count("region ") for t in shown_texts(rendered))
    [left_out] = MORE.findall(rendered[-1]["elements"][0]["text"])
    assert shown + int(left_out) == 1000
    # Rows are cut one by one, not twenty at a time: less than two rows' room is left over.
    assert text_size(rendered) > MAX_TOTAL_TEXT - 2 * 92 - 40


def test_one_huge_table_cell_is_clipped_so_its_row_still_shows():
    rows = (("small", "1"), ("huge", "z" * 5000), ("after", "3"))
    rendered = valid(blocks(Reply(parts=(Table((Column("R"), Column("V")), rows),))))
    said = "\n".join(shown_texts(rendered))
    assert "huge" in said
    assert "after" in said


def test_many_buttons_are_kept_in_sets_and_the_rest_counted():
    buttons = tuple(Button(f"Option {n}", "pick", value=str(n)) for n in range(1500))
    rendered = valid(blocks(Reply(parts=(Paragraph(text("Choose")), Actions(buttons)))))
    kept = sum(len(b["elements"]) for b in rendered if b["type"] == "actions")
    [left_out] = MORE.findall(rendered[-1]["elements"][0]["text"])
    assert kept + int(left_out) == 1500
    assert kept > 1000


def add_members(sessions, *, platform: str, count: int, user_id: str) -> list[Region]:
    """``count`` people spread evenly over the regions; their ids follow ``user_id``."""
    with sessions.begin() as session:
        regions = list(session.scalars(select(Region).order_by(Region.id)))
        session.add_all(
            Member(
                group_id=regions[0].group_id,
                platform=platform,
                platform_user_id=user_id.format(n),
                display_name=f"person {n}",
                role=PARTNER,
                region_id=regions[n % len(regions)].id,
            )
            for n in range(count)
        )
    return regions


def test_chemclust_who_with_1000_members_over_http_shows_every_region(
    slack_bot, mock_slack, sessions
):
    regions = add_members(sessions, platform="slack", count=1000, user_id="U{:08d}")
    payload = answer_to(slack_bot, mock_slack, "/chemclust", "who")
    assert_valid_blocks(payload["blocks"])
    fields = [f["text"] for b in payload["blocks"] for f in b.get("fields", [])]
    assert sorted(f.split("*")[1] for f in fields) == sorted(r.name for r in regions)
    for field in fields:
        [left_out] = MORE.findall(field)
        assert len(MENTION.findall(field)) + int(left_out) == 100, field
    said = "\n".join(shown_texts(payload["blocks"]))
    assert "Coordinators:" in said
