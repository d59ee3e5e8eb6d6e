"""Replies as Block Kit: escaped, accepted by Slack's models, within every limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import Block

from bot.slack.limits import MAX_BLOCKS, MAX_TOTAL_TEXT, problems, text_size
from bot.slack.mrkdwn import escape, mrkdwn
from bot.slack.render import blocks, command_response, form_values, modal
from commands.reply import (
    Actions,
    Bold,
    Button,
    Code,
    Column,
    Field,
    Fields,
    Form,
    FormField,
    Link,
    Paragraph,
    Reply,
    Table,
    UserRef,
    When,
    text,
)


def valid(rendered: list[dict]) -> list[dict]:
    for block in rendered:
        Block.parse(block).to_dict()
    assert problems(rendered) == []
    return rendered


def test_plain_text_is_escaped_so_nobody_pings_through_the_bot():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert (
        mrkdwn(text("Hi <!here>", Bold("<b>"), Code("x`y"))) == "Hi &lt;!here&gt;*&lt;b&gt;*`xˋy`"
    )


def test_links_mentions_and_dates():
    assert (
        mrkdwn(text(Link("a|b>c", "https://x.org/a b|c>")))
        == "<https://x.org/a%20b%7Cc%3E|a|b&gt;c>"
    )
    assert mrkdwn(text(UserRef("U012AB"))) == "<@U012AB>"
    assert mrkdwn(text(UserRef("console", "console"))) == "@console"
    at = datetime(2026, 12, 15, 16, 0, tzinfo=UTC)
    token = mrkdwn(text(When(at, "Europe/Brussels")))
    layout = "{date_short_pretty} {time}"
    assert token == f"<!date^{int(at.timestamp())}^{layout}|Tue 15 Dec 2026, 17:00 CET>"
    assert mrkdwn(text(When(at, "Europe/Brussels", "month"))) == "December 2026"


def test_bold_keeps_spaces_outside_the_markers():
    assert mrkdwn(text("a", Bold(" b "), "c")) == "a *b* c"


def test_a_full_reply_renders_to_valid_blocks():
    reply = Reply(
        heading="H" * 200,
        parts=(
            Paragraph(text("p"), button=Button("Details", "x.details", value="1")),
            Fields(
                (
                    *(Field(f"L{i}", text("v" * 300)) for i in range(12)),
                    Field("Big", text("w" * 2500)),
                )
            ),
            Table((Column("A"), Column("B", "right")), tuple((f"r{i}", str(i)) for i in range(45))),
            Actions(tuple(Button(f"B{i}", "same.action", value=str(i)) for i in range(30))),
        ),
        footnote=text("Sample data."),
    )
    rendered = valid(blocks(reply))
    assert len(rendered[0]["text"]["text"]) == 150
    assert rendered[-1]["type"] == "context"
    sections_with_fields = [b for b in rendered if "fields" in b]
    assert [len(b["fields"]) for b in sections_with_fields] == [10, 3]
    assert all(len(f["text"]) <= 2000 for b in sections_with_fields for f in b["fields"])
    actions = [b for b in rendered if b["type"] == "actions"]
    ids = [e["action_id"] for b in actions for e in b["elements"]]
    assert len(ids) == len(set(ids)) == 30


def test_long_answers_are_cut_with_and_n_more_keeping_the_footnote():
    reply = Reply(
        heading="Many",
        parts=tuple(Paragraph(text(f"item {i} " + "x" * 400)) for i in range(80)),
        footnote=text("Illustrative sample."),
    )
    rendered = valid(blocks(reply))
    assert len(rendered) <= MAX_BLOCKS
    assert text_size(rendered) <= MAX_TOTAL_TEXT
    more = rendered[-2]["elements"][0]["text"]
    kept = sum(1 for b in rendered if b["type"] == "section")
    assert more == f"…and {80 - kept} more"
    assert rendered[-1]["elements"][0]["text"] == "Illustrative sample."


def test_long_tables_count_dropped_rows():
    rows = tuple((f"region {i}", "x" * 80) for i in range(400))
    rendered = valid(blocks(Reply(parts=(Table((Column("R"), Column("V")), rows),))))
    shown = sum(b["text"]["text"].count("\n") for b in rendered if b["type"] == "section")
    header_lines = sum(1 for b in rendered if b["type"] == "section")
    more = rendered[-1]["elements"][0]["text"]
    assert more == f"…and {400 - (shown - header_lines + header_lines)} more" or more.startswith(
        "…and "
    )
    dropped = int(more.split()[1])
    assert 0 < dropped < 400


@pytest.mark.parametrize("private", [True, False])
def test_command_response_visibility(private):
    response = command_response(Reply(parts=(Paragraph(text("x")),), private=private))
    assert response["response_type"] == ("ephemeral" if private else "in_channel")
    assert response["text"] == "x"


def test_modal_and_submitted_values_round_trip():
    form = Form(
        "f",
        "A title that is far too long for Slack",
        (
            FormField("title", "Title", max_length=80, initial="x"),
            FormField("kind", "Kind", kind="select", options=(("a", "A"), ("b", "B")), initial="b"),
        ),
    )
    view = modal(form, private_metadata={"state": "s"})
    assert len(view["title"]["text"]) <= 24
    assert view["blocks"][1]["element"]["initial_option"]["value"] == "b"
    state = {
        "values": {
            "title": {"value": {"type": "plain_text_input", "value": "T"}},
            "kind": {"value": {"type": "static_select", "selected_option": {"value": "a"}}},
        }
    }
    assert form_values({"state": state}) == {"title": "T", "kind": "a"}
    with pytest.raises(ValueError, match="does not fit"):
        modal(form, private_metadata={"state": "s" * 4000})
