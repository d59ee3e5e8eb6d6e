"""``/pilot``: logging by command and form, milestones, status and the export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from commands.messages import POSTED, ChatMessage
from commands.pilots.log import LOG_FORM, LOG_SHORTCUT
from commands.pilots.milestones import parse_due
from commands.reply import Fields, FormErrors, Paragraph, Table, plain
from tests.conftest import FIXED_NOW
from tests.support.forms import stored_state


def said(reply) -> str:
    """Everything a reply shows, as plain text."""
    out = [reply.heading or ""]
    for part in reply.parts:
        if isinstance(part, Paragraph):
            out.append(plain(part.text))
        elif isinstance(part, Fields):
            out += [f"{f.label}: {plain(f.value)}" for f in part.items]
        elif isinstance(part, Table):
            out += [" | ".join(row) for row in part.rows]
    return "\n".join(out)


@pytest.fixture
def masovia(core, partner):
    core.run_line(partner, "/chemclust join Masovia")
    return partner


def test_log_by_command_with_tags(core, masovia):
    reply = core.run_line(masovia, "/pilot log open innovation Matchmaking day [on track]")
    assert reply.private
    assert said(reply).startswith("\nLogged for Masovia under Open innovation (on track)")
    status = said(core.run_line(masovia, "/pilot status open innovation"))
    assert "Masovia · today · [on track] Matchmaking day" in status


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/pilot log", "Say which pilot and what happened."),
        ("/pilot log robotics: done it", "I don't know a pilot called “robotics”"),
        ("/pilot log skills:", "Say what happened in Skills foresight."),
        ("/pilot log skills [done] [delayed] x", "[delayed] conflicts with an earlier tag"),
        ("/pilot log skills held [M3]", "Skills foresight has no milestone M3"),
        ("/pilot frobnicate", "/pilot has no “frobnicate”"),
    ],
)
def test_wrong_log_commands_are_refused_privately_and_write_nothing(core, masovia, line, expected):
    reply = core.run_line(masovia, line)
    assert reply.private
    assert expected in said(reply)
    assert "Usage:" in said(reply)
    assert "no update" in said(core.run_line(masovia, "/pilot status skills")).lower()


def test_log_form_in_slack_and_its_validation(core, masovia):
    opened = core.run_command(masovia, "pilot", "log", can_open_forms=True)
    assert opened.form.form_id == LOG_FORM
    assert [f.name for f in opened.form.fields] == ["pilot", "status", "milestone", "text"]
    token = opened.form.state
    with pytest.raises(FormErrors) as problems:
        core.submit_form(masovia, LOG_FORM, {"pilot": "", "text": " "}, token)
    assert set(problems.value.errors) == {"pilot", "text"}
    with pytest.raises(FormErrors) as problems:
        core.submit_form(
            masovia, LOG_FORM, {"pilot": "skills", "milestone": "M2", "text": "x"}, token
        )
    assert "no milestone “M2”" in problems.value.errors["milestone"]
    done = core.submit_form(
        masovia, LOG_FORM, {"pilot": "skills", "status": "done", "text": "x"}, token
    )
    assert "Logged for Masovia under Skills foresight (done)" in said(done.reply)


def test_shortcut_prefills_from_the_message_and_logs_it_once(core, masovia, coordinator):
    message = ChatMessage(
        kind=POSTED,
        channel_id="CGENERAL",
        message_id="1764320400.000100",
        text="update parks: site visit [delayed]",
        author_id=masovia.user_id,
        posted_at=FIXED_NOW - timedelta(days=2),
    )
    form = core.run_message_shortcut(coordinator, LOG_SHORTCUT, message).form
    initial = {f.name: f.initial for f in form.fields}
    assert initial == {"pilot": "parks", "status": "delayed", "milestone": "", "text": "site visit"}
    values = {"pilot": "parks", "status": "delayed", "text": "site visit"}
    first = core.submit_form(coordinator, LOG_FORM, values, form.state)
    assert "Logged for Masovia under Chemical parks as knowledge sites" in said(first.reply)
    # The form is used up; logging the message again goes through a new form.
    used = core.submit_form(coordinator, LOG_FORM, {**values, "pilot": "skills"}, form.state)
    assert "already submitted" in said(used.reply)
    form = core.run_message_shortcut(coordinator, LOG_SHORTCUT, message).form
    again = core.submit_form(coordinator, LOG_FORM, {**values, "pilot": "skills"}, form.state)
    assert "under Skills foresight" in said(again.reply)
    status = said(core.run_line(coordinator, "/pilot status skills"))
    assert "2 days ago" in status
    assert "site visit" not in said(core.run_line(coordinator, "/pilot status parks"))
    reopened = core.run_message_shortcut(coordinator, LOG_SHORTCUT, message).form
    assert {f.name: f.initial for f in reopened.fields}["pilot"] == "skills"
    assert json.loads(stored_state(core.sessions, reopened.state))["author"] == masovia.user_id


def test_someone_else_may_not_log_a_strangers_message(core, partner):
    message = ChatMessage(
        kind=POSTED,
        channel_id="CGENERAL",
        message_id="1.2",
        text="anything",
        author_id="USOMEONE",
        posted_at=FIXED_NOW,
    )
    refused = core.run_message_shortcut(partner, LOG_SHORTCUT, message)
    assert refused.form is None
    assert "Only the author" in said(refused)
    bot = core.run_message_shortcut(partner, LOG_SHORTCUT, replace(message, author_id=None))
    assert "Only messages people wrote" in said(bot)


def test_milestones_add_list_done_reopen(core, coordinator, partner):
    refused = core.run_line(partner, '/pilot milestone add skills "Guide" due 15 Dec 2026')
    assert "Only a coordinator" in said(refused)
    added = core.run_line(
        coordinator, "/pilot milestone add skills “Teachers’ guide” due 15 Dec 2026"
    )
    assert "Added M1 Teachers’ guide to Skills foresight, due Tue 15 Dec 2026." in said(added)
    late = core.run_line(coordinator, "/pilot milestone add skills Job fair due 1 Nov 2026")
    assert "M2 Job fair" in said(late)
    assert "already past" in said(late)
    twin = core.run_line(coordinator, '/pilot milestone add skills "job fair" due 3 Dec 2026')
    assert "already has M2" in said(twin)
    listed = said(core.run_line(partner, "/pilot milestones skills"))
    assert "M1 | Teachers’ guide | 15 Dec 2026 | open" in listed
    assert "M2 | Job fair | 01 Nov 2026 | OVERDUE by 27 days" in listed
    core.run_line(coordinator, "/pilot milestone done skills M2")
    assert "M2 | Job fair | 01 Nov 2026 | done 28 Nov 2026" in said(
        core.run_line(partner, "/pilot milestones")
    )
    again = core.run_line(coordinator, "/pilot milestone done skills 2")
    assert "already done" in said(again)
    core.run_line(coordinator, "/pilot milestone reopen skills m2")
    assert "OVERDUE" in said(core.run_line(partner, "/pilot milestones skills"))


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ('skills "x"', "Say when the milestone is due"),
        ('skills "x" due whenever', "I cannot read “whenever” as a date"),
        ('"x" due 1 Dec 2026', "Say which pilot"),
        ('robotics "x" due 1 Dec 2026', "I don't know a pilot called “robotics”"),
        ("skills due 1 Dec 2026", "Give the milestone a title"),
        ('skills "x" due 1 Dec 2099', "too far ahead"),
        ("skills M9", "Say when the milestone is due"),
    ],
)
def test_wrong_milestones_are_refused(core, coordinator, arguments, expected):
    reply = core.run_line(coordinator, f"/pilot milestone add {arguments}")
    assert reply.private
    assert expected in said(reply)
    assert "No milestones yet" in said(core.run_line(coordinator, "/pilot milestones"))


def test_due_dates_as_people_write_them():
    def due(text):
        return parse_due(text, now=FIXED_NOW, timezone="Europe/Brussels")

    assert str(due("2026-12-15")) == "2026-12-15"
    assert str(due("15.12.2026")) == "2026-12-15"
    assert str(due("15/12/2026")) == "2026-12-15"
    assert str(due("next friday")) == "2026-12-04"
    assert str(due("March 2027")) == "2027-03-31"
    assert str(due("end of March")) == "2027-03-31"
    assert due("whenever") is None


def test_status_at_a_glance_counts_updates_milestones_and_silent_regions(
    core, masovia, coordinator
):
    core.run_line(masovia, "/pilot log skills Teacher training")
    core.run_line(coordinator, '/pilot milestone add skills "Guide" due 1 Nov 2026')
    core.run_line(coordinator, "/pilot log parks visit")  # the coordinator has no region
    overview = core.run_line(masovia, "/pilot")
    text = said(overview)
    assert overview.heading == "Pilot actions at a glance"
    skills = text.split("Skills foresight")[1]
    assert "Updates, last 30 days: 1" in skills
    assert "Milestones: 0 of 1 done, 1 overdue" in skills
    assert "Silent for 30 days: Cheshire West and Chester, Novara, Tees Valley" in skills
    assert "1 update of the last 30 days are under “unassigned”" in text


def test_status_of_one_pilot_flags_silent_regions_and_lists_the_last_ten(
    core, masovia, partner, sessions
):
    from storage.models import PilotUpdate

    for number in range(12):
        core.run_line(masovia, f"/pilot log skills step {number}")
    with sessions.begin() as session:
        oldest = session.query(PilotUpdate).order_by(PilotUpdate.id).first()
        oldest.posted_at = FIXED_NOW - timedelta(days=40)
    core.run_line(replace(partner, user_id="UTEES"), "/chemclust join Tees Valley")
    text = said(core.run_line(masovia, "/pilot status skills"))
    assert "Masovia · today · step 11" in text
    assert "Tees Valley · no update yet" in text
    assert "11 updates in the last 30 days" in text
    last = text.split("Last 10 updates")[1]
    assert last.count("step ") == 10
    assert "step 0" not in last


def test_export_has_a_sheet_per_pilot_and_a_csv(core, masovia):
    core.run_line(masovia, '/pilot log skills =HYPERLINK("http://evil") training [done]')
    core.run_line(masovia, "/pilot log open innovation Workshop")
    reply = core.run_line(masovia, "/pilot export")
    assert reply.private
    xlsx, table = reply.files
    assert xlsx.filename == "chemclust-pilot-updates-2026-11-28.xlsx"
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == [
        "Chemical parks as knowledge",
        "Open innovation",
        "Skills foresight",
    ]
    rows = list(workbook["Skills foresight"].values)
    assert rows[0] == (
        "Date (Europe/Brussels)",
        "Region",
        "Author",
        "Status",
        "Milestone",
        "Text",
        "Link",
    )
    date, region, author, status, milestone, text, link = rows[1]
    assert (region, author, status, milestone, link) == ("Masovia", "partner", "done", None, None)
    assert text == '\'=HYPERLINK("http://evil") training'  # text, never a formula
    assert str(date) == "2026-11-28 11:00:00"  # 10:00 UTC in Brussels
    lines = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Pilot", "Date (Europe/Brussels)", "Region"]
    assert [
        "Open innovation",
        "2026-11-28 11:00",
        "Masovia",
        "partner",
        "",
        "",
        "Workshop",
        "",
    ] in lines

    one = core.run_line(masovia, "/pilot export skils")
    assert one.files[0].filename == "chemclust-pilot-updates-skills-2026-11-28.xlsx"
    assert load_workbook(io.BytesIO(one.files[0].content)).sheetnames == ["Skills foresight"]
