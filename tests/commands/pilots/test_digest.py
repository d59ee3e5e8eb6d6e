"""The weekly digest: due at Monday 09:00 in each group's zone, sent once, shown on demand."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from commands.context import CHANNEL, Identity, Mention
from commands.pilots.digest import MAX_ATTEMPTS, digest_slot, send_due_digests
from commands.port import CannotTell, Sent, Undeliverable
from commands.reply import Paragraph, plain
from storage.groups import default_group
from storage.models import DigestRun, Event, GroupChannel, PilotUpdate, WorkingGroup
from tests.conftest import FIXED_NOW

# Monday 30 November 2026, 09:00 in Brussels (CET, UTC+1).
MONDAY_NINE_BRUSSELS = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def said(reply) -> str:
    return "\n".join(
        [reply.heading or ""] + [plain(p.text) for p in reply.parts if isinstance(p, Paragraph)]
    )


class Recorder:
    """A digest port that records (channel, reply), refusing the first ``failures`` posts."""

    def __init__(self, failures: int = 0):
        self.sent: list[tuple[str, object]] = []
        self.failures = failures
        self.lock = threading.Lock()

    def __call__(self, target, reply, mark):
        with self.lock:
            if self.failures:
                self.failures -= 1
                return Undeliverable("Slack refused the message: not_in_channel")
            self.sent.append((target.conversation["channel"], reply))
            return Sent(f"{target.conversation['channel']}:{len(self.sent)}")

    def find(self, target, mark, *, since):
        return CannotTell("no history")


@pytest.mark.parametrize(
    ("now", "zone", "slot"),
    [
        # Saturday -> the Monday before, 09:00 local.
        (FIXED_NOW, "Europe/Brussels", datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
        # Monday 08:59 local is still last week's slot; 09:00 is this week's.
        (
            MONDAY_NINE_BRUSSELS - timedelta(minutes=1),
            "Europe/Brussels",
            datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        ),
        (MONDAY_NINE_BRUSSELS, "Europe/Brussels", MONDAY_NINE_BRUSSELS),
        # Summer time: 09:00 CEST is 07:00 UTC.
        (
            datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
            "Europe/Brussels",
            datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
        ),
        # Half-hour offsets: 09:00 in Kolkata is 03:30 UTC.
        (
            datetime(2026, 11, 30, 3, 30, tzinfo=UTC),
            "Asia/Kolkata",
            datetime(2026, 11, 30, 3, 30, tzinfo=UTC),
        ),
        # Far west: Monday 09:00 in New York is 14:00 UTC; at 13:59 UTC it is last week's.
        (
            datetime(2026, 11, 30, 13, 59, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        ),
    ],
)
def test_the_digest_slot_is_monday_nine_in_the_groups_zone(now, zone, slot):
    assert digest_slot(now, zone) == slot


@pytest.fixture
def group_channel(sessions):
    with sessions.begin() as session:
        group = default_group(session=session)
        session.add(
            GroupChannel(group_id=group.id, platform="slack", channel_id="CPILOTS", set_by="UCOORD")
        )
        return group.id


def add_update(sessions, group_id, text, posted_at, pilot_key="skills"):
    from storage.models import PilotAction

    with sessions.begin() as session:
        pilot = session.scalar(
            select(PilotAction).where(
                PilotAction.group_id == group_id, PilotAction.key == pilot_key
            )
        )
        session.add(
            PilotUpdate(
                group_id=group_id,
                pilot_id=pilot.id,
                platform="slack",
                author_id="UPARTNER",
                author_name="partner",
                text=text,
                source="command",
                posted_at=posted_at,
            )
        )


def test_due_digest_is_sent_once_with_the_weeks_updates_and_whats_coming(sessions, group_channel):
    add_update(
        sessions, group_channel, "last week's news", MONDAY_NINE_BRUSSELS - timedelta(days=2)
    )
    add_update(sessions, group_channel, "too old", MONDAY_NINE_BRUSSELS - timedelta(days=8))
    add_update(
        sessions, group_channel, "after the slot", MONDAY_NINE_BRUSSELS + timedelta(minutes=5)
    )
    with sessions.begin() as session:
        session.add(
            Event(
                group_id=group_channel,
                number=901,
                kind="workshop",
                title="Open innovation workshop in Maastricht",
                starts_at=MONDAY_NINE_BRUSSELS + timedelta(days=5),
                timezone="Europe/Amsterdam",
            )
        )
        session.add(
            Event(
                group_id=group_channel,
                number=902,
                kind="deadline",
                title="Cancelled deadline",
                starts_at=MONDAY_NINE_BRUSSELS + timedelta(days=3),
                timezone="Europe/Brussels",
                status="cancelled",
            )
        )
    send = Recorder()
    before = send_due_digests(
        sessions, now=MONDAY_NINE_BRUSSELS - timedelta(minutes=15), senders={"slack": send}
    )
    assert before == []
    assert send.sent == []

    [result] = send_due_digests(sessions, now=MONDAY_NINE_BRUSSELS, senders={"slack": send})
    assert (result.sent, str(result.week_of)) == (True, "2026-11-30")
    [(channel, reply)] = send.sent
    assert channel == "CPILOTS"
    text = said(reply)
    assert reply.heading == "Pilot digest 23 Nov – 30 Nov 2026"
    assert "Skills foresight · 1 update" in text
    assert "last week's news" in text
    assert "too old" not in text
    assert "after the slot" not in text
    assert "Open innovation: Asturias, Limburg, Novara, Schleswig-Holstein" in text
    assert "workshop W901 · Open innovation workshop in Maastricht" in text
    assert "Cancelled deadline" not in text

    for later in (timedelta(minutes=15), timedelta(hours=3)):
        assert (
            send_due_digests(sessions, now=MONDAY_NINE_BRUSSELS + later, senders={"slack": send})
            == []
        )
    assert len(send.sent) == 1


def test_a_missed_digest_is_sent_late_the_same_day_but_not_the_next(sessions, group_channel):
    send = Recorder()
    assert (
        send_due_digests(
            sessions, now=MONDAY_NINE_BRUSSELS + timedelta(hours=13), senders={"slack": send}
        )
        == []
    )
    assert send_due_digests(
        sessions, now=MONDAY_NINE_BRUSSELS + timedelta(hours=11), senders={"slack": send}
    )
    assert len(send.sent) == 1


def test_several_processes_at_once_send_one_digest(sessions, group_channel):
    send = Recorder()
    start = threading.Barrier(3)

    def tick():
        start.wait()
        send_due_digests(sessions, now=MONDAY_NINE_BRUSSELS, senders={"slack": send})

    threads = [threading.Thread(target=tick) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(send.sent) == 1
    with sessions() as session:
        [run] = session.scalars(select(DigestRun)).all()
    assert run.status == "sent"


def test_a_failed_send_is_retried_on_later_ticks_up_to_a_limit(sessions, group_channel):
    send = Recorder(failures=MAX_ATTEMPTS)
    for minutes in range(0, 15 * (MAX_ATTEMPTS + 2), 15):
        send_due_digests(
            sessions, now=MONDAY_NINE_BRUSSELS + timedelta(minutes=minutes), senders={"slack": send}
        )
    assert send.sent == []
    with sessions() as session:
        [run] = session.scalars(select(DigestRun)).all()
    assert (run.status, run.attempts) == ("failed", MAX_ATTEMPTS)
    assert "not_in_channel" in run.error

    once_more = Recorder(failures=1)
    next_week = MONDAY_NINE_BRUSSELS + timedelta(days=7)
    send_due_digests(sessions, now=next_week, senders={"slack": once_more})
    send_due_digests(sessions, now=next_week + timedelta(minutes=15), senders={"slack": once_more})
    assert len(once_more.sent) == 1


def test_groups_in_other_zones_get_their_digest_at_their_own_nine(sessions, group_channel):
    with sessions.begin() as session:
        india = WorkingGroup(slug="india", name="Indian cluster group", timezone="Asia/Kolkata")
        session.add(india)
        session.flush()
        session.add(
            GroupChannel(group_id=india.id, platform="slack", channel_id="CINDIA", set_by="U1")
        )
        session.add(
            GroupChannel(group_id=india.id, platform="teams", channel_id="19:x", set_by="U1")
        )
    send = Recorder()
    early = datetime(2026, 11, 30, 3, 30, tzinfo=UTC)
    send_due_digests(sessions, now=early, senders={"slack": send})
    assert [channel for channel, _ in send.sent] == ["CINDIA"]  # Teams has no sender here
    send_due_digests(sessions, now=MONDAY_NINE_BRUSSELS, senders={"slack": send})
    assert [channel for channel, _ in send.sent] == ["CINDIA", "CPILOTS"]


def test_channel_command(core, coordinator, partner, sessions):
    console = Identity(platform="console", user_id="UCOORD")
    assert "Run this in the channel" in said_private(core.run_line(console, "/chemclust channel"))
    refused = core.run_line(partner, "/chemclust channel")
    assert "Only a coordinator" in said_private(refused)
    assert "digest is off" in said_private(refused)

    here = core.run_line(coordinator, "/chemclust channel")
    assert not here.private
    assert "This channel is now the ChemClust Interregional Working Group's channel" in said(here)
    assert "every Monday at 09:00 (Europe/Brussels)" in said(here)
    shown = core.run_line(partner, "/chemclust channel show")
    assert "goes to this channel" in said(shown)

    core.run_line(
        replace(coordinator, channel_id="COTHER"),
        "/chemclust channel #pilots",
        mentions=(Mention(CHANNEL, "CPILOTS", "pilots"),),
    )
    assert "goes to #pilots" in said(core.run_line(partner, "/chemclust channel show"))
    with sessions() as session:
        [channel] = session.scalars(select(GroupChannel)).all()
    assert (channel.channel_id, channel.channel_name) == ("CPILOTS", "pilots")

    wrong = core.run_line(coordinator, "/chemclust channel pilots")
    assert "not a channel I can recognise" in said_private(wrong)
    assert "digest is off" in said(core.run_line(coordinator, "/chemclust channel off"))
    assert "was already off" in said(core.run_line(coordinator, "/chemclust channel off"))


def said_private(reply) -> str:
    assert reply.private
    return said(reply)


def test_digest_on_demand_covers_the_last_seven_days(core, partner):
    core.run_line(partner, "/chemclust join Masovia")
    core.run_line(partner, "/pilot log skills Teacher training")
    reply = core.run_line(partner, "/chemclust digest")
    assert reply.private
    assert reply.heading == "Pilot digest 21 Nov – 28 Nov 2026"
    assert "Teacher training" in said(reply)
    assert "/chemclust digest" in said(core.run_line(partner, "/chemclust help"))
