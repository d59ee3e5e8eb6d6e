"""A new benchmark edition is announced once in the group's channel, through the reminder rows."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import responses
from sqlalchemy import select

from bot.cli import main
from commands.reminders.dispatch import Dispatcher
from commands.reply import Actions
from storage.group_channels import set_group_channel
from storage.groups import default_group
from storage.models import Reminder
from tests.commands.benchmark.test_eurostat import TEST_API, document
from tests.support.benchmark_files import wide_csv
from tests.support.events import Clock, RecordingSender, reply_text

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def group_channel(sessions) -> str:
    with sessions.begin() as session:
        group_id = default_group(session=session).id
        set_group_channel(
            session=session,
            group_id=group_id,
            platform="slack",
            channel_id="CGENERAL",
            channel_name="general",
            set_by="UCOORD",
            now=NOW,
        )
    return "CGENERAL"


def import_benchmark(monkeypatch, database_url, tmp_path, *options: str, content=None) -> int:
    path = tmp_path / "benchmark-2014.csv"
    path.write_bytes(content if content is not None else wide_csv())
    monkeypatch.setenv("DATABASE_URL", database_url)
    return main(["import", "benchmark", str(path), "--edition", "2014", *options])


def announcements(sessions) -> list[Reminder]:
    with sessions() as session:
        return list(
            session.scalars(select(Reminder).where(Reminder.kind == "notice").order_by(Reminder.id))
        )


def dispatch(sessions, sender, claimer: str = "A") -> int:
    # The rows are due when the import ran; the dispatcher's clock is a little later.
    clock = Clock(datetime.now(UTC))
    clock.advance(seconds=1)
    run = Dispatcher(sessions, {"slack": sender}, clock=clock, claimer=claimer)
    return run.run_once().sent


def test_an_imported_edition_is_announced_once_with_top_movers_and_buttons(
    monkeypatch, database_url, tmp_path, sessions, group_channel
):
    assert import_benchmark(monkeypatch, database_url, tmp_path) == 0
    (row,) = announcements(sessions)
    assert row.target == {"channel": "CGENERAL"}
    sender = RecordingSender()
    assert dispatch(sessions, sender) == 1
    assert dispatch(sessions, sender) == 0

    ((target, reply),) = sender.sent
    assert target.conversation == {"channel": "CGENERAL"}
    assert reply.heading == "New benchmark edition: 2014"
    said = reply_text(reply)
    assert "Top of the league table: 1. " in said
    assert "Since the 2012 update: rose most " in said
    assert "fell most " in said
    (buttons,) = [p for p in reply.parts if isinstance(p, Actions)]
    assert buttons.buttons
    assert all(b.action_id == "benchmark.changes" for b in buttons.buttons)
    assert all(b.value.endswith("@2014") for b in buttons.buttons)
    # The 2014 figures are real; the comparison is with a sample edition, and says so.
    assert "which holds illustrative sample" in said


def test_two_dispatchers_racing_send_the_announcement_once(
    monkeypatch, database_url, tmp_path, sessions, group_channel
):
    assert import_benchmark(monkeypatch, database_url, tmp_path) == 0
    sender = RecordingSender()
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def run(claimer: str) -> None:
        barrier.wait()
        counts.append(dispatch(sessions, sender, claimer))

    threads = [threading.Thread(target=run, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert len(sender.sent) == 1


def test_a_dry_run_and_a_refused_file_announce_nothing(
    monkeypatch, database_url, tmp_path, sessions, group_channel
):
    assert import_benchmark(monkeypatch, database_url, tmp_path, "--dry-run") == 0
    broken = wide_csv().replace(b"Novara", b"Atlantis")
    assert import_benchmark(monkeypatch, database_url, tmp_path, content=broken) == 1
    assert announcements(sessions) == []
    sender = RecordingSender()
    assert dispatch(sessions, sender) == 0
    assert sender.sent == []


def test_a_replaced_edition_is_announced_as_revised(
    monkeypatch, database_url, tmp_path, sessions, group_channel
):
    assert import_benchmark(monkeypatch, database_url, tmp_path) == 0
    assert dispatch(sessions, RecordingSender()) == 1
    assert import_benchmark(monkeypatch, database_url, tmp_path, "--replace") == 0
    sender = RecordingSender()
    assert dispatch(sessions, sender) == 1
    ((_, reply),) = sender.sent
    assert reply.heading == "Benchmark 2014 revised"


def test_without_a_group_channel_nothing_is_queued(monkeypatch, database_url, tmp_path, sessions):
    assert import_benchmark(monkeypatch, database_url, tmp_path) == 0
    assert announcements(sessions) == []


@responses.activate
def test_eurostat_figures_announce_the_newest_edition_they_revise(
    monkeypatch, database_url, sessions, group_channel, capsys
):
    responses.get(TEST_API + "rd_e_gerdreg", json=document())
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("EUROSTAT_API_URL", TEST_API)
    argv = ["import", "eurostat", "rd_e_gerdreg", "--indicator", "BUSRD"]
    filters = ["--filter", "sectperf=BES", "--filter", "unit=PC_GDP"]
    assert main([*argv, *filters, "--dry-run"]) == 0
    assert announcements(sessions) == []
    assert main([*argv, *filters]) == 0, capsys.readouterr().out
    sender = RecordingSender()
    assert dispatch(sessions, sender) == 1
    ((_, reply),) = sender.sent
    assert reply.heading == "Benchmark 2012 update revised"
    # Both editions hold sample figures: the announcement says so like every reply.
    assert "not official ChemClust benchmark data" in reply_text(reply)
