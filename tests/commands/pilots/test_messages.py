"""Updates written as messages, through the neutral entry point every platform calls."""

from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from commands import build_registry
from commands.core import Core
from commands.messages import DELETED, EDITED, NOT_TAKEN, NOTHING, POSTED, ChatMessage
from commands.reply import plain
from storage.db import make_engine, make_session_factory
from storage.models import PilotUpdate, SeenEvent
from tests.conftest import FIXED_NOW

_numbers = itertools.count(1)


class Lookups:
    def __init__(self, link: str | None = "https://example.slack.com/archives/C/p1"):
        self.link = link
        self.asked: list[str] = []

    def permalink(self, channel_id, message_id):
        self.asked.append(f"permalink {channel_id} {message_id}")
        return self.link

    def user_name(self, user_id):
        self.asked.append(f"name {user_id}")
        return "Name From Platform"


def chat(text: str, **changes) -> ChatMessage:
    number = next(_numbers)
    message = ChatMessage(
        kind=POSTED,
        channel_id="CGENERAL",
        message_id=f"1764320400.{number:06d}",
        text=text,
        author_id="UPARTNER",
        posted_at=FIXED_NOW - timedelta(hours=1),
        delivery_id=f"Ev{number}",
        lookups=Lookups(),
    )
    return replace(message, **changes)


def stored(sessions) -> list[PilotUpdate]:
    with sessions() as session:
        query = select(PilotUpdate).options(
            selectinload(PilotUpdate.region),
            selectinload(PilotUpdate.pilot),
            selectinload(PilotUpdate.milestone),
        )
        return list(session.scalars(query.order_by(PilotUpdate.id)))


def private_text(outcome) -> str:
    return " ".join(plain(part.text) for part in outcome.private.parts)


@pytest.fixture
def masovia(core, partner):
    core.run_line(partner, "/chemclust join Masovia")
    return partner


def test_an_update_is_stored_for_the_authors_region_and_acknowledged(core, masovia, sessions):
    message = chat("update skills: Teacher training held in Warsaw, 24 teachers [on track]")
    outcome = core.handle_message(masovia, message)
    assert outcome.acknowledge
    assert outcome.private is None
    # Said in words for platforms that cannot react (Teams).
    assert plain(outcome.receipt.parts[0].text) == (
        "✅ Logged for Masovia under Skills foresight [on track]"
    )
    [row] = stored(sessions)
    assert (row.pilot.key, row.region.name, row.status, row.source) == (
        "skills",
        "Masovia",
        "on_track",
        "message",
    )
    assert row.text == "Teacher training held in Warsaw, 24 teachers"
    assert row.author_name == "partner"  # known from the member row: no need to ask Slack
    assert row.permalink == "https://example.slack.com/archives/C/p1"
    assert row.posted_at == message.posted_at
    assert row.created_at == FIXED_NOW


def test_a_redelivery_or_a_second_delivery_of_the_same_message_does_nothing(
    core, masovia, sessions
):
    message = chat("update skills: held")
    assert core.handle_message(masovia, message).acknowledge
    retry = core.handle_message(masovia, message)
    assert retry == NOTHING
    assert retry.taken  # an update, only already handled: no adapter runs it as a command
    assert core.handle_message(masovia, replace(message, delivery_id="EvOther")) == NOTHING
    assert len(stored(sessions)) == 1


def test_two_processes_receiving_the_same_event_at_once_store_and_acknowledge_once(
    database_url, masovia, sessions
):
    """Each "process" has its own engine; only the database's unique constraints decide."""
    cores, engines = [], []
    for _ in range(2):
        engine = make_engine(database_url)
        engines.append(engine)
        cores.append(Core(build_registry(), make_session_factory(engine), clock=lambda: FIXED_NOW))
    message = chat("update skills: Teacher training held")
    start = threading.Barrier(2)
    outcomes = []

    def deliver(core):
        start.wait()
        outcomes.append(core.handle_message(masovia, message))

    threads = [threading.Thread(target=deliver, args=(c,)) for c in cores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert sorted(o.acknowledge for o in outcomes) == [False, True]
    assert len(stored(sessions)) == 1


def test_unknown_pilot_gets_one_private_note_with_the_pilots_and_nothing_is_stored(
    core, masovia, sessions
):
    message = chat("update robotics: prototype ready")
    outcome = core.handle_message(masovia, message)
    assert not outcome.acknowledge
    said = private_text(outcome)
    assert "“robotics”" in said
    assert "Skills foresight (skills)" in said
    assert "update <pilot>: <what happened>" in said
    assert core.handle_message(masovia, message) == NOTHING  # the retry
    assert stored(sessions) == []


def test_an_update_without_text_is_not_stored_and_the_author_is_told(core, masovia, sessions):
    outcome = core.handle_message(masovia, chat("update skills: [done]"))
    assert "Say what happened in Skills foresight." in private_text(outcome)
    assert stored(sessions) == []


def test_conversation_costs_no_database_work_at_all(core, masovia, sessions, monkeypatch):
    def no_context(*args, **kwargs):
        raise AssertionError("ordinary conversation must not reach the database")

    monkeypatch.setattr(core, "context", no_context)
    for text in ("Good morning", "I'll update the slides", "updates later", "see update: x"):
        assert core.handle_message(masovia, chat(text)) == NOT_TAKEN


def test_update_colon_counts_only_at_top_level_of_a_linked_channel(
    core, coordinator, masovia, sessions
):
    linked = replace(coordinator, channel_id="CSKILLS")
    core.run_line(linked, "/pilot link skills")
    unlinked = chat("update: job fair")
    assert core.handle_message(masovia, unlinked) == NOT_TAKEN
    top = chat("update: job fair with 300 pupils", channel_id="CSKILLS")
    assert core.handle_message(masovia, top).acknowledge
    reply = chat("update: more photos", channel_id="CSKILLS", thread_id=top.message_id)
    assert core.handle_message(masovia, reply) == NOT_TAKEN
    explicit = chat("update parks: visit in Leuna", channel_id="CSKILLS")
    assert core.handle_message(masovia, explicit).acknowledge
    assert [(r.pilot.key, r.text) for r in stored(sessions)] == [
        ("skills", "job fair with 300 pupils"),
        ("parks", "visit in Leuna"),
    ]


def test_milestone_tags_link_known_milestones_and_note_unknown_ones(
    core, coordinator, masovia, sessions
):
    core.run_line(coordinator, '/pilot milestone add skills "Teachers\' guide" due 15 Dec 2026')
    known = core.handle_message(masovia, chat("update skills: guide printed [M1]"))
    assert known.private is None
    unknown = core.handle_message(masovia, chat("update skills: next step [M4]"))
    assert unknown.acknowledge
    assert "Skills foresight has no milestone M4 (its milestones: M1)" in private_text(unknown)
    assert [r.milestone.label if r.milestone else None for r in stored(sessions)] == ["M1", None]


def test_an_author_without_region_is_logged_unassigned_and_nudged(core, partner, sessions):
    message = chat("update skills: school visit")
    outcome = core.handle_message(partner, message)
    assert outcome.acknowledge
    assert "/chemclust join <region>" in private_text(outcome)
    [row] = stored(sessions)
    assert row.region is None
    assert row.author_name == "partner"  # the identity's own name
    nameless = replace(partner, user_id="UNEW", user_name=None)
    core.handle_message(nameless, chat("update skills: another", author_id="UNEW"))
    assert stored(sessions)[1].author_name == "Name From Platform"


def test_edits_follow_the_message(core, masovia, sessions):
    original = chat("update skills: draft [delayed]")
    core.handle_message(masovia, original)
    edit = replace(original, kind=EDITED, text="update open innovation: final [done] [M9]")
    outcome = core.handle_message(masovia, replace(edit, delivery_id="EvEdit1"))
    assert not outcome.acknowledge  # already marked
    assert "no milestone M9" in private_text(outcome)
    [row] = stored(sessions)
    assert (row.pilot.key, row.text, row.status) == ("open-innovation", "final", "done")
    assert row.edited_at == FIXED_NOW

    talk = core.handle_message(masovia, replace(edit, delivery_id="EvEdit2", text="just talk"))
    assert talk.withdraw
    assert stored(sessions)[0].removed_at == FIXED_NOW
    back = replace(edit, delivery_id="EvEdit3", text="update skills: final again")
    restored = core.handle_message(masovia, back)
    assert restored.acknowledge
    assert plain(restored.receipt.parts[0].text) == "✅ Logged for Masovia under Skills foresight"
    assert stored(sessions)[0].removed_at is None

    unknown = replace(edit, delivery_id="EvEdit4", text="update robotics: x")
    assert "stays as it was" in private_text(core.handle_message(masovia, unknown))
    assert stored(sessions)[0].text == "final again"


def test_an_edit_can_turn_a_message_into_an_update(core, masovia, sessions):
    typo = chat("updte skills: held")
    assert core.handle_message(masovia, typo) == NOT_TAKEN
    fixed = replace(typo, kind=EDITED, text="update skills: held", delivery_id="EvFix")
    assert core.handle_message(masovia, fixed).acknowledge
    [row] = stored(sessions)
    assert row.posted_at == typo.posted_at


def test_deleting_the_message_marks_the_update_removed_but_keeps_it(core, masovia, sessions):
    message = chat("update skills: held")
    core.handle_message(masovia, message)
    gone = replace(message, kind=DELETED, text="", delivery_id="EvDel")
    assert core.handle_message(masovia, gone) == NOTHING
    [row] = stored(sessions)
    assert row.removed_at == FIXED_NOW
    status = core.run_line(masovia, "/pilot status skills")
    assert "held" not in str(status.parts)
    stranger = replace(chat("whatever"), kind=DELETED)
    assert core.handle_message(masovia, stranger) == NOT_TAKEN


def test_a_mention_that_is_not_an_update_is_answered_once_privately(core, masovia):
    mention = chat("what can you do?", addressed=True)
    outcome = core.handle_message(masovia, mention)
    assert "I log pilot progress" in private_text(outcome)
    assert core.handle_message(masovia, mention) == NOTHING


def test_a_crash_gives_the_author_an_error_id_and_is_logged(core, masovia, monkeypatch, caplog):
    def explode(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("commands.pilots.messages.add_update", explode)
    outcome = core.handle_message(masovia, chat("update skills: held"))
    said = private_text(outcome)
    assert "error id" in said
    error_id = said.rsplit("error id ", 1)[1].strip(".")
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)


def test_delivery_ids_are_forgotten_after_three_days(core, masovia, sessions):
    with sessions.begin() as session:
        session.add(
            SeenEvent(platform="slack", event_id="EvOld", created_at=FIXED_NOW - timedelta(days=4))
        )
        session.add(
            SeenEvent(platform="slack", event_id="EvNew", created_at=FIXED_NOW - timedelta(days=1))
        )
    core.handle_message(masovia, chat("update skills: held", delivery_id="EvNow"))
    with sessions() as session:
        assert sorted(session.scalars(select(SeenEvent.event_id))) == ["EvNew", "EvNow"]


def test_coordinator_is_allowed_to_link_and_partner_is_not(core, partner, coordinator):
    refused = core.run_line(partner, "/pilot link skills")
    assert refused.private
    assert "Only a coordinator" in plain(refused.parts[0].text)
    linked = core.run_line(coordinator, "/pilot link skills")
    assert not linked.private
    assert "linked to Skills foresight" in plain(linked.parts[0].text)
    relinked = core.run_line(coordinator, "/pilot link parks")
    assert "(it was linked to Skills foresight)" in plain(relinked.parts[0].text)
    shown = core.run_line(partner, "/pilot link")
    assert "Chemical parks as knowledge sites" in plain(shown.parts[0].text)
    core.run_line(coordinator, "/pilot unlink")
    assert "not linked" in plain(core.run_line(coordinator, "/pilot unlink").parts[0].text)
