"""Control characters in what people send are cleaned at the core's door, on both databases.

A NUL is stored by SQLite and refused by PostgreSQL; other controls, bidi overrides and byte
order marks are invisible or rearrange what readers see. Each way text enters is tried:
command lines, form fields, button values, overheard messages, message shortcuts, files.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console.render import render
from commands.benchmark.imports import IncomingFile, receive_file
from commands.messages import POSTED, ChatMessage
from commands.pilots.log import LOG_FORM, LOG_SHORTCUT
from commands.practice.form import ADD_FORM
from commands.practice.search import SEARCH_ACTION
from storage.models import BenchmarkUpload, Event, PilotMilestone, PilotUpdate, Practice
from tests.commands.practice.test_practice import form_values as practice_form
from tests.conftest import FIXED_NOW
from tests.support.benchmark_files import to_csv, wide_rows

# Each typed with control characters (NUL, SOH, ESC, DEL, a C1 control, a right-to-left
# override, a byte order mark) between its letters; stored as the plain title.
DIRTY = "Ope\x00n in\x01nov\x1bation\x7f wo\x9brk\u202eshop\ufeff"
CLEAN = "Open innovation workshop"


def newest(sessions, model, column):
    with sessions() as session:
        return session.scalars(select(column).order_by(model.id.desc()).limit(1)).first()


def submit(core, who, opening: str, form_id: str, values: dict[str, str]):
    """Open the form as the person would (``opening`` is the command), then send it back."""
    token = core.run_line(who, opening, can_open_forms=True).form.state
    return core.submit_form(who, form_id, values, token).reply


def assert_no_error_id(reply) -> str:
    shown = render(reply)
    assert "error id" not in shown, shown
    return shown


@pytest.fixture
def masovia(core, partner):
    core.run_line(partner, "/chemclust join Masovia")
    return partner


@pytest.mark.parametrize(
    ("line", "model", "column"),
    [
        (f'/workshop add "{DIRTY}" 15 Dec 10:00', Event, Event.title),
        (f'/deadline add "{DIRTY}" 15 Dec 17:00', Event, Event.title),
        (
            f'/pilot milestone add skills "{DIRTY}" due 31 Mar 2027',
            PilotMilestone,
            PilotMilestone.title,
        ),
        (f"/pilot log skills {DIRTY}", PilotUpdate, PilotUpdate.text),
        (
            f"/practice add {DIRTY} | Limburg | Financing | A lab SMEs share.",
            Practice,
            Practice.title,
        ),
    ],
    ids=["workshop", "deadline", "milestone", "pilot-log", "practice"],
)
def test_commands_store_the_text_without_its_control_characters(
    core, coordinator, sessions, line, model, column
):
    core.run_line(coordinator, "/chemclust join Limburg")
    assert_no_error_id(core.run_line(coordinator, line))
    assert newest(sessions, model, column) == CLEAN


def test_line_breaks_of_every_kind_become_newlines_and_tabs_stay(core, partner, sessions):
    core.run_line(partner, "/chemclust join Limburg")
    typed = "Held\r\nin Warsaw\rand\u2028Lodz\x85today\tfully"
    values = practice_form(description=typed)
    assert_no_error_id(submit(core, partner, "/practice add", ADD_FORM, values))
    assert newest(sessions, Practice, Practice.description) == (
        "Held\nin Warsaw\nand\nLodz\ntoday\tfully"
    )


def test_form_fields_are_cleaned(core, coordinator, partner, sessions):
    core.run_line(partner, "/chemclust join Limburg")
    reply = submit(core, partner, "/practice add", ADD_FORM, practice_form(title=DIRTY))
    assert_no_error_id(reply)
    assert newest(sessions, Practice, Practice.title) == CLEAN

    event = {"title": DIRTY, "when": "15 Dec 10:00", "kind": "workshop", "remind": "1d\x00"}
    assert_no_error_id(submit(core, coordinator, "/workshop add", "events.workshop.add", event))
    assert newest(sessions, Event, Event.title) == CLEAN

    update = {"pilot": "skills", "status": "", "milestone": "", "text": DIRTY}
    assert_no_error_id(submit(core, coordinator, "/pilot log", LOG_FORM, update))
    assert newest(sessions, PilotUpdate, PilotUpdate.text) == CLEAN


def test_a_button_value_is_cleaned(core, partner):
    reply = core.run_action(partner, SEARCH_ACTION, "0|tra\x00in\u202eing")
    shown = assert_no_error_id(reply)
    assert "match “training”" in shown


def chat(text: str) -> ChatMessage:
    return ChatMessage(
        kind=POSTED,
        channel_id="CGENERAL",
        message_id="1764320400.000001",
        text=text,
        author_id="UPARTNER",
        posted_at=FIXED_NOW - timedelta(hours=1),
        delivery_id="Ev1",
    )


def test_an_overheard_update_is_logged_cleaned(core, masovia, sessions):
    outcome = core.handle_message(masovia, chat(f"update skills: {DIRTY} [on\x00 track]"))
    assert outcome.acknowledge, outcome
    assert outcome.private is None
    with sessions() as session:
        [row] = session.scalars(select(PilotUpdate)).all()
    assert (row.text, row.status) == (CLEAN, "on_track")


def test_a_message_shortcut_fills_its_form_with_the_cleaned_text(core, masovia):
    reply = core.run_message_shortcut(masovia, LOG_SHORTCUT, chat(f"update skills: {DIRTY}"))
    fields = {field.name: field.initial for field in reply.form.fields}
    assert fields["text"] == CLEAN
    assert fields["pilot"] == "skills"


def test_a_files_name_message_and_cells_are_cleaned(core, coordinator, sessions):
    rows = wide_rows()
    rows[1][0] = "Saxony\x00-Anhalt\u202e"
    incoming = IncomingFile(
        filename="bench\x00mark\x1b-2014.csv",
        content=to_csv(rows),
        source_ref="DUCOORD:1.2:F1",
        message="20\x0014",
    )
    reply = core.run_handler(coordinator, lambda ctx: receive_file(ctx, incoming), what="test")
    shown = assert_no_error_id(reply)
    assert "110 for 10 regions × 11 indicators" in shown
    assert "benchmark-2014.csv" in shown
    with sessions() as session:
        upload = session.scalars(select(BenchmarkUpload)).one()
    assert (upload.filename, upload.edition_label) == ("benchmark-2014.csv", "2014")
