"""Pilot updates written as Slack messages, through the real web process with signed events."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storage.models import PilotChannel, PilotUpdate, SeenEvent
from tests.bot.slack.test_http_endpoint import assert_valid_blocks, block_text
from tests.conftest import COORDINATOR_ID
from tests.support import slack_events as events
from tests.support.mock_slack import BOT_USER_ID
from tests.support.slack_requests import answer_to_command, interaction, post_signed, slash_command

DONE_WHEN = "update skills: Teacher training held in Warsaw, 24 teachers"


@pytest.fixture
def handled(slack_bot) -> events.HandledMessages:
    return events.HandledMessages(slack_bot.runtime.core)


def stored(sessions) -> list[PilotUpdate]:
    with sessions() as session:
        query = select(PilotUpdate).options(
            selectinload(PilotUpdate.region), selectinload(PilotUpdate.pilot)
        )
        return list(session.scalars(query.order_by(PilotUpdate.id)))


def join(slack_bot, mock_slack, region: str, user: str = "UPARTNER") -> None:
    answer = answer_to_command(
        slack_bot.slack_url, mock_slack, "/chemclust", f"join {region}", user_id=user
    )
    assert f"You now represent {region}" in answer["text"]


def test_update_gets_a_check_mark_and_shows_in_status_once_even_when_retried(
    slack_bot, mock_slack, handled, sessions
):
    join(slack_bot, mock_slack, "Masovia")
    update = events.message(DONE_WHEN)
    first = events.deliver(slack_bot.slack_url, update)
    assert first.status == 200

    reaction = mock_slack.wait_for("reactions.add")[0].data
    assert {key: reaction[key] for key in ("channel", "timestamp", "name")} == {
        "channel": "CGENERAL",
        "timestamp": update["event"]["ts"],
        "name": "white_check_mark",
    }
    handled.wait_for(1)
    # Slack did not see the acknowledgement in time and sends the very same event again.
    for attempt in (1, 2):
        again = events.deliver(slack_bot.slack_url, update, retry=attempt)
        assert again.status == 200
    outcomes = handled.wait_for(3)
    assert [o.is_nothing for o in outcomes] == [False, True, True]
    assert len(mock_slack.of("reactions.add")) == 1
    assert mock_slack.of("chat.postMessage") == []
    assert mock_slack.of("chat.postEphemeral") == []

    [row] = stored(sessions)
    assert (row.source, row.channel_id, row.message_id) == (
        "message",
        "CGENERAL",
        update["event"]["ts"],
    )
    assert row.text == "Teacher training held in Warsaw, 24 teachers"
    assert row.region.name == "Masovia"
    assert row.permalink.startswith("https://chemclust.slack.com/archives/CGENERAL/p")

    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/pilot", "status skills")
    assert_valid_blocks(payload["blocks"])
    rendered = block_text(payload["blocks"])
    masovia = next(
        b["text"]["text"]
        for b in payload["blocks"]
        if "*Masovia*" in b.get("text", {}).get("text", "")
    )
    assert "Teacher training held in Warsaw, 24 teachers" in masovia
    assert "today" in masovia
    assert rendered.count("Teacher training held in Warsaw") == 2  # latest by region + last ten


def test_the_same_message_under_another_event_id_is_stored_once(
    slack_bot, mock_slack, handled, sessions
):
    update = events.message("update open innovation: Matchmaking day with 40 SMEs")
    events.deliver(slack_bot.slack_url, update)
    twin = {**update, "event_id": "EvAnotherDelivery"}
    events.deliver(slack_bot.slack_url, twin)
    handled.wait_for(2)
    mock_slack.wait_for("reactions.add")
    assert len(stored(sessions)) == 1
    assert len(mock_slack.of("reactions.add")) == 1


def test_casual_chat_gets_no_reply_and_no_record(slack_bot, mock_slack, handled, sessions):
    join(slack_bot, mock_slack, "Asturias")
    chatter = [
        "Good morning everyone!",
        "Update: the train is late, I will join at 10",  # not a linked channel
        "I will update the slides tonight",
        "Updated the agenda: see the pinned doc",
        "update from the meeting with the regional ministry yesterday: all fine",
        "update skills",  # no colon: not an update
    ]
    for text in chatter:
        assert events.deliver(slack_bot.slack_url, events.message(text)).status == 200
    events.deliver(
        slack_bot.slack_url, events.message("update skills: a thread reply counts", thread_ts="1.0")
    )
    outcomes = handled.wait_for(len(chatter) + 1)
    mock_slack.wait_for("reactions.add")
    assert all(o.is_nothing for o in outcomes[: len(chatter)])
    assert [row.text for row in stored(sessions)] == ["a thread reply counts"]
    assert mock_slack.of("chat.postEphemeral") == []
    assert mock_slack.of("chat.postMessage") == []
    with sessions() as session:
        # Ordinary conversation leaves nothing behind, not even a delivery id.
        assert len(session.scalars(select(SeenEvent)).all()) == 1


def test_unknown_pilot_is_answered_privately_with_the_pilots(
    slack_bot, mock_slack, handled, sessions
):
    attempt = events.message("update robotics: prototype ready", thread_ts=None)
    events.deliver(slack_bot.slack_url, attempt)
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert note["user"] == "UPARTNER"
    assert note["channel"] == "CGENERAL"
    said = note["text"] + block_text(note["blocks"])
    assert "robotics" in said
    for pilot in ("Chemical parks as knowledge sites", "Open innovation", "Skills foresight"):
        assert pilot in said
    events.deliver(slack_bot.slack_url, attempt, retry=1)
    handled.wait_for(2)
    assert len(mock_slack.of("chat.postEphemeral")) == 1
    assert mock_slack.of("reactions.add") == []
    assert stored(sessions) == []


def test_edit_follows_the_message_and_delete_marks_it_removed(
    slack_bot, mock_slack, handled, sessions
):
    join(slack_bot, mock_slack, "Novara")
    original = events.message("update skills: curriculum draft [delayed]")
    events.deliver(slack_bot.slack_url, original)
    mock_slack.wait_for("reactions.add")

    events.deliver(
        slack_bot.slack_url,
        events.edited(original, "update open innovation: curriculum draft sent [done]"),
    )
    handled.wait_for(2)
    [row] = stored(sessions)
    assert (row.pilot.key, row.text, row.status) == (
        "open-innovation",
        "curriculum draft sent",
        "done",
    )
    assert row.edited_at is not None

    # Slack also reports changes nobody typed (link previews): same text, nothing changes.
    unfurled = events.edited(original, original["event"]["text"])
    events.deliver(slack_bot.slack_url, unfurled)

    events.deliver(slack_bot.slack_url, events.deleted(original))
    handled.wait_for(3)
    [row] = stored(sessions)
    assert row.removed_at is not None  # kept for the audit trail
    status = answer_to_command(slack_bot.slack_url, mock_slack, "/pilot", "status open innovation")
    assert "curriculum draft" not in block_text(status["blocks"])


def test_edit_that_makes_a_message_conversation_takes_the_mark_away(
    slack_bot, mock_slack, handled, sessions
):
    original = events.message("update parks: site visit in Leuna")
    events.deliver(slack_bot.slack_url, original)
    mock_slack.wait_for("reactions.add")
    events.deliver(slack_bot.slack_url, events.edited(original, "site visit in Leuna went well"))
    removed = mock_slack.wait_for("reactions.remove")[0].data
    assert removed["timestamp"] == original["event"]["ts"]
    [row] = stored(sessions)
    assert row.removed_at is not None


def test_author_without_region_is_logged_as_unassigned_and_nudged(slack_bot, mock_slack, sessions):
    events.deliver(
        slack_bot.slack_url,
        events.message("update skills: school visit in Middlesbrough", user="UNEW"),
    )
    mock_slack.wait_for("reactions.add")
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert note["user"] == "UNEW"
    assert "/chemclust join" in block_text(note["blocks"])
    [row] = stored(sessions)
    assert row.region_id is None
    assert row.author_name == "unew"  # asked Slack (users.info): the member had no name yet


def test_linked_channel_logs_top_level_update_colon_only(slack_bot, mock_slack, handled, sessions):
    refused = answer_to_command(
        slack_bot.slack_url, mock_slack, "/pilot", "link skills", channel_id="CSKILLS"
    )
    assert "Only a coordinator" in refused["text"]
    linked = answer_to_command(
        slack_bot.slack_url,
        mock_slack,
        "/pilot",
        "link skills",
        channel_id="CSKILLS",
        user_id=COORDINATOR_ID,
    )
    assert linked["response_type"] == "in_channel"
    with sessions() as session:
        assert session.scalars(select(PilotChannel.channel_id)).all() == ["CSKILLS"]

    top = events.message("Update: [on track] [M1] job fair with 300 pupils", channel="CSKILLS")
    events.deliver(slack_bot.slack_url, top)
    reply_in_thread = events.message(
        "update: more photos", channel="CSKILLS", thread_ts=top["event"]["ts"]
    )
    events.deliver(slack_bot.slack_url, reply_in_thread)
    handled.wait_for(2)
    mock_slack.wait_for("reactions.add")
    [row] = stored(sessions)
    assert (row.pilot.key, row.status, row.text) == (
        "skills",
        "on_track",
        "job fair with 300 pupils",
    )
    # M1 does not exist yet: logged all the same, and the author is told why it has none.
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert "no milestone M1" in block_text(note["blocks"])


def test_bot_messages_and_other_subtypes_are_ignored(slack_bot, mock_slack, handled, sessions):
    events.deliver(slack_bot.slack_url, events.message("update skills: by a bot", bot_id="B999"))
    events.deliver(slack_bot.slack_url, events.message("update skills: by me", user=BOT_USER_ID))
    events.deliver(
        slack_bot.slack_url, events.message("update skills: joined", subtype="channel_join")
    )
    sentinel = events.message("update skills: by a person")
    events.deliver(slack_bot.slack_url, sentinel)
    handled.wait_for(1)
    mock_slack.wait_for("reactions.add")
    assert [row.text for row in stored(sessions)] == ["by a person"]


def test_mention_that_is_not_an_update_gets_private_help(slack_bot, mock_slack, handled, sessions):
    join(slack_bot, mock_slack, "Novara")
    events.deliver(slack_bot.slack_url, events.mention("what can you do?"))
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    # It is no command either: the short help with buttons (bot/slack/test_conversation.py).
    assert "I do not understand “what can you do?”" in block_text(note["blocks"])
    # A mention that is an update arrives as a message event too, which logs it once.
    update = events.message(f"<@{BOT_USER_ID}> update skills: logged via a mention")
    events.deliver(slack_bot.slack_url, events.mention("update skills: logged via a mention"))
    events.deliver(slack_bot.slack_url, update)
    mock_slack.wait_for("reactions.add")
    handled.wait_for(1)
    assert [row.text for row in stored(sessions)] == ["logged via a mention"]
    assert len(mock_slack.of("chat.postEphemeral")) == 1


def test_message_shortcut_opens_a_prefilled_modal_and_logs_the_message(
    slack_bot, mock_slack, sessions
):
    join(slack_bot, mock_slack, "Limburg", user="UAUTHOR")
    said = events.message("Brightlands open day: 12 start-ups pitched [done]", user="UAUTHOR")
    post_signed(
        slack_bot.slack_url,
        slash_command(
            "/pilot", "link open innovation", channel_id="CGENERAL", user_id=COORDINATOR_ID
        ),
    )

    refused = post_signed(slack_bot.slack_url, events.message_shortcut(said, user="USTRANGER"))
    assert refused.status == 200
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert "Only the author" in note["text"]
    assert mock_slack.of("views.open") == []

    opened = post_signed(slack_bot.slack_url, events.message_shortcut(said, user=COORDINATOR_ID))
    assert opened.status == 200
    view = mock_slack.wait_for("views.open")[0].data["view"]
    fields = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert fields["pilot"]["initial_option"]["value"] == "open-innovation"  # the linked pilot
    assert fields["status"]["initial_option"]["value"] == "done"
    assert fields["text"]["initial_value"] == "Brightlands open day: 12 start-ups pitched"

    submission = {
        "type": "view_submission",
        "team": {"id": "T0001"},
        "user": {"id": COORDINATOR_ID, "username": "coordinator", "team_id": "T0001"},
        "api_app_id": "A0001",
        "view": {
            **view,
            "id": "V1",
            "state": {
                "values": {
                    "pilot": {
                        "value": {
                            "type": "static_select",
                            "selected_option": {"value": "open-innovation"},
                        }
                    },
                    "status": {
                        "value": {"type": "static_select", "selected_option": {"value": "done"}}
                    },
                    "milestone": {"value": {"type": "plain_text_input", "value": "M7"}},
                    "text": {
                        "value": {"type": "plain_text_input", "value": "Brightlands open day"}
                    },
                }
            },
        },
    }
    rejected = post_signed(slack_bot.slack_url, interaction(submission))
    assert rejected.json()["response_action"] == "errors"
    assert "no milestone “M7”" in rejected.json()["errors"]["milestone"]
    submission["view"]["state"]["values"]["milestone"]["value"]["value"] = ""
    accepted = post_signed(slack_bot.slack_url, interaction(submission))
    assert accepted.status == 200
    assert accepted.text == ""
    reaction = mock_slack.wait_for("reactions.add")[0].data
    assert reaction["timestamp"] == said["event"]["ts"]
    confirmation = mock_slack.wait_for("chat.postEphemeral", 2)[1].data
    assert confirmation["user"] == COORDINATOR_ID
    [row] = stored(sessions)
    assert (row.source, row.author_id, row.logged_by) == ("shortcut", "UAUTHOR", COORDINATOR_ID)
    assert row.region.name == "Limburg"
    assert row.message_id == said["event"]["ts"]


def test_export_delivers_a_workbook_with_the_update_on_the_skills_sheet(slack_bot, mock_slack):
    join(slack_bot, mock_slack, "Masovia")
    events.deliver(slack_bot.slack_url, events.message(DONE_WHEN))
    mock_slack.wait_for("reactions.add")

    answer = answer_to_command(slack_bot.slack_url, mock_slack, "/pilot", "export")
    assert answer["response_type"] == "ephemeral"
    completed = mock_slack.wait_for("files.completeUploadExternal", 2)
    titles = [f["title"] for call in completed for f in call.data["files"]]
    assert titles == ["Pilot updates (Excel)", "Pilot updates (CSV)"]
    assert {call.data["channel_id"] for call in completed} == {"DUPARTNER"}  # private: a DM
    uploads = mock_slack.of("/upload/")
    workbook = load_workbook(io.BytesIO(uploads[0].raw))
    assert workbook.sheetnames == [
        "Chemical parks as knowledge",
        "Open innovation",
        "Skills foresight",
    ]
    sheet = workbook["Skills foresight"]
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows(max_row=2)]
    assert header[1:] == ["Region", "Author", "Status", "Milestone", "Text", "Link"]
    assert row[1:3] == ["Masovia", "partner"]
    assert row[5] == "Teacher training held in Warsaw, 24 teachers"
    assert row[6].startswith("https://chemclust.slack.com/archives/CGENERAL/p")
    assert workbook["Open innovation"].max_row == 1
    csv_text = uploads[1].raw.decode("utf-8-sig")
    assert "Skills foresight," in csv_text
    assert json.dumps("Teacher training held in Warsaw, 24 teachers")[1:-1] in csv_text


def test_a_long_status_is_cut_to_block_kit_limits_with_and_n_more(slack_bot, sessions, mock_slack):
    from datetime import UTC, date, datetime

    from storage.groups import default_group
    from storage.models import PilotAction, PilotMilestone

    now = datetime.now(UTC)
    with sessions.begin() as session:
        group = default_group(session=session)
        skills = session.scalar(select(PilotAction).where(PilotAction.key == "skills"))
        for number in range(1, 121):
            session.add(
                PilotMilestone(
                    group_id=group.id,
                    pilot_id=skills.id,
                    number=number,
                    title=f"Milestone with a fairly long descriptive title number {number}",
                    due_on=date(2027, 1, 1),
                    created_by="UCOORD",
                )
            )
        for number in range(12):
            session.add(
                PilotUpdate(
                    group_id=group.id,
                    pilot_id=skills.id,
                    platform="slack",
                    author_id="UPARTNER",
                    text=f"Long report {number}: " + "words & <b>markup</b> " * 300,
                    source="command",
                    posted_at=now,
                )
            )
    payload = answer_to_command(slack_bot.slack_url, mock_slack, "/pilot", "status skills")
    assert_valid_blocks(payload["blocks"])
    last = payload["blocks"][-1]
    assert last["type"] == "context"
    assert last["elements"][0]["text"].startswith("…and ")
    assert "<b>" not in block_text(payload["blocks"])


def test_a_refused_reaction_does_not_stop_the_note_to_the_author(slack_bot, mock_slack, sessions):
    mock_slack.fail("reactions.add", 200, error="missing_scope")
    events.deliver(slack_bot.slack_url, events.message("update skills: visit", user="UNEW"))
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert "/chemclust join" in block_text(note["blocks"])
    assert [row.text for row in stored(sessions)] == ["visit"]
