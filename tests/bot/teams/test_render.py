"""Reply -> Adaptive Card: 1.2-safe elements, escaping, dates, files, forms and the size budget."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from bot.teams import limits, render
from bot.teams.markdown import escape, markdown
from commands.reply import (
    Actions,
    Attachment,
    Bold,
    Button,
    Code,
    Column,
    Divider,
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

# What Teams mobile (Adaptive Cards 1.2) renders; nothing newer may carry content.
ELEMENTS_1_2 = {
    "AdaptiveCard",
    "TextBlock",
    "FactSet",
    "ColumnSet",
    "Column",
    "ActionSet",
    "Action.Submit",
    "Action.OpenUrl",
    "Input.Text",
    "Input.ChoiceSet",
}


def types(element) -> set[str]:
    if isinstance(element, list):
        return {t for item in element for t in types(item)}
    if not isinstance(element, dict):
        return set()
    found = {element["type"]} if isinstance(element.get("type"), str) else set()
    return found | {t for value in element.values() for t in types(value)}


def test_a_reply_becomes_one_card_of_1_2_safe_elements():
    reply = Reply(
        heading="Heading",
        parts=(
            Paragraph(text("Hello ", Bold("world"))),
            Fields((Field("Index", text("64.2")),)),
            Divider(),
            Table((Column("Region"), Column("Index", "right")), (("Limburg", "77.5"),)),
            Actions((Button("Open", "x.open", "1"), Button("Site", "x.site", url="https://e.org"))),
        ),
        footnote=text("Sample figures."),
    )
    message = render.message(reply)
    assert len(message.attachments) == 1
    card = message.attachments[0]["content"]
    assert message.attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["version"] == "1.5"
    assert types(card) <= ELEMENTS_1_2
    body = card["body"]
    assert body[0] == {
        "type": "TextBlock",
        "text": "Heading",
        "wrap": True,
        "size": "Large",
        "weight": "Bolder",
    }
    assert body[1]["text"] == "Hello **world**"
    assert body[2]["facts"] == [{"title": "Index", "value": "64.2"}]
    assert body[3]["separator"] is True  # the divider separates what follows
    assert body[4]["columns"][1]["items"][0]["horizontalAlignment"] == "Right"
    actions = body[5]["actions"]
    assert actions[0] == {
        "type": "Action.Submit",
        "title": "Open",
        "data": {"action_id": "x.open", "value": "1"},
    }
    assert actions[1] == {"type": "Action.OpenUrl", "title": "Site", "url": "https://e.org"}
    assert body[-1]["text"] == "Sample figures."
    assert body[-1]["isSubtle"] is True
    assert message.summary == "Heading"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("**bold** _it_ ~x~ `c`", "\\*\\*bold\\*\\* \\_it\\_ \\~x\\~ \\`c\\`"),
        ("[x](https://evil.example)", "\\[x\\](https://evil.example)"),
        ("<at>Everyone</at>", "\\<at\\>Everyone\\</at\\>"),
        ("- item\n1. first\n# title", "\\- item\n1\\. first\n\\# title"),
        ("{{DATE(2026-01-01T00:00:00Z)}}", "{\u200b{DATE(2026-01-01T00:00:00Z)}}"),
        ("back\\slash", "back\\\\slash"),
        ("plain 1-2 text.", "plain 1-2 text."),
    ],
)
def test_user_text_cannot_format_link_mention_or_call_functions(typed, shown):
    assert escape(typed) == shown


def test_inline_pieces():
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    pieces = text(
        Bold(" key "),
        Code("/benchmark <region>"),
        " ",
        Link("site", "https://example.org/a b(c)"),
        " ",
        Link("bad", "javascript:alert(1)"),
        " ",
        UserRef("00000000-aaaa", "Ada *L*"),
    )
    assert markdown(pieces) == (
        " **key** /benchmark \\<region\\> [site](https://example.org/a%20b%28c%29) bad Ada \\*L\\*"
    )
    assert markdown(text(When(at, "Europe/Brussels"))) == (
        "{{DATE(2026-12-01T09:30:00Z, SHORT)}} {{TIME(2026-12-01T09:30:00Z)}}"
    )
    assert markdown(text(When(at, "Europe/Brussels", "day"))) == (
        "{{DATE(2026-12-01T09:30:00Z, SHORT)}}"
    )
    assert markdown(text(When(at, "Europe/Brussels", "month"))) == "December 2026"
    # Facts get the zone's own time: date functions are documented for TextBlock only.
    assert markdown(text(When(at, "Europe/Brussels")), dates=False) == "Tue 01 Dec 2026, 10:30 CET"


def test_a_long_table_is_cut_to_the_budget_with_and_n_more():
    rows = tuple((f"Region {n:04d} with a long name", f"{n}.0") for n in range(1000))
    reply = Reply(
        heading="Big",
        parts=(Table((Column("Region"), Column("Index", "right")), rows),),
        footnote=text("Footnote stays."),
    )
    card = render.card(reply)
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    shown_rows = [e for e in card["body"] if e["type"] == "ColumnSet"][1:]
    more = card["body"][-2]["text"]
    assert more == f"…and {1000 - len(shown_rows)} more"
    assert 50 < len(shown_rows) < 1000
    assert card["body"][-1]["text"] == "Footnote stays."
    assert card["body"][0]["text"] == "Big"


def test_long_text_and_many_fields_are_split_and_cut():
    long_paragraph = "\n".join(f"line {n} " + "x" * 80 for n in range(600))
    fields = Fields(tuple(Field(f"F{n}", text("v" * 900)) for n in range(100)))
    card = render.card(Reply(parts=(Paragraph(text(long_paragraph)), fields)))
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    blocks = [e for e in card["body"] if e["type"] == "TextBlock"]
    assert all(len(b["text"]) <= limits.MAX_TEXT_BLOCK for b in blocks)
    assert blocks[-1]["text"].startswith("…and ")


def test_a_small_reply_is_not_cut():
    card = render.card(Reply(parts=(Paragraph(text("short")),)))
    assert [e["text"] for e in card["body"]] == ["short"]


def test_a_small_image_goes_along_and_other_files_are_explained():
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    reply = Reply(
        heading="Chart",
        files=(
            Attachment("chart.png", png, "image/png", "Benchmark chart"),
            Attachment("huge.png", b"0" * (render.MAX_IMAGE_BYTES + 1), "image/png"),
            Attachment("data.xlsx", b"0" * 3000, "application/vnd.ms-excel", "Workbook"),
        ),
    )
    message = render.message(reply)
    image = message.attachments[1]
    assert len(message.attachments) == 2
    assert image["contentType"] == "image/png"
    assert image["name"] == "chart.png"
    assert base64.b64decode(image["contentUrl"].split(",", 1)[1]) == png
    notes = [e["text"] for e in message.attachments[0]["content"]["body"][1:]]
    assert any("huge.png" in n and "console" in n for n in notes)
    assert any("Workbook (data.xlsx, 3 KB)" in n for n in notes)


def test_forms_become_inputs_and_come_back_with_errors():
    form = Form(
        form_id="pilot.update",
        title="Pilot update",
        state="42",
        fields=(
            FormField("text", "What happened", kind="multiline", max_length=500, hint="Short"),
            FormField("link", "Link", kind="url", required=False, placeholder="https://"),
            FormField("stage", "Stage", kind="select", options=(("a", "Alpha"), ("b", "Beta"))),
        ),
    )
    card = render.message(Reply(form=form)).attachments[0]["content"]
    assert types(card) <= ELEMENTS_1_2
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert inputs["field:text"]["isMultiline"] is True
    assert inputs["field:text"]["maxLength"] == 500
    assert inputs["field:link"]["style"] == "Url"
    assert inputs["field:stage"]["choices"][1] == {"title": "Beta", "value": "b"}
    data = card["actions"][0]["data"]
    # The state is the core's token; nothing else about the form travels through the client.
    assert data == {"form_id": "pilot.update", "form_state": "42"}

    submitted = {**data, "field:text": "", "field:stage": "b", "field:link": None}
    assert render.submitted_values(submitted) == {"text": "", "stage": "b", "link": ""}
    again = render.form_message(
        form, errors={"text": "Say what happened.", "other": "Try later."}, values={"stage": "b"}
    ).attachments[0]["content"]
    body_texts = [e.get("text") for e in again["body"]]
    assert "Try later." in body_texts
    position = body_texts.index("What happened")
    assert again["body"][position + 2]["id"] == "field:text"
    assert again["body"][position + 3]["text"] == "Say what happened."
    assert again["body"][position + 3]["color"] == "Attention"
    stage = next(e for e in again["body"] if e.get("id") == "field:stage")
    assert stage["value"] == "b"
