"""The benchmark suite's data: generated history at a tiny scale, on SQLite and PostgreSQL.

What the suite measures is only as honest as its data: the sizes asked for, shapes the bot
reads as its own, nothing falling due while a run measures, and the due reminders of the
dispatcher measure really sent (not skipped).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from commands.reminders.dispatch import Dispatcher
from storage.db import make_engine
from storage.models import (
    BenchmarkEdition,
    Event,
    Member,
    PilotUpdate,
    Practice,
    Reminder,
)
from tests.benchmarks.history_events import EVENT_COLUMNS, event_rows
from tests.benchmarks.history_other import member_rows
from tests.benchmarks.rows import Rows, load_catalogue
from tests.benchmarks.seeding import add_due_reminders, add_history, with_defaults
from tests.benchmarks.sizes import HANDLED_UNTIL, anchor, sizes_for
from tests.conftest import FIXED_NOW
from tests.support.events import RecordingSender, reply_text

# 100 events, 700 reminder rows, 200 pilot updates, one edition, 30 practices, 10 members.
SCALE = 0.2


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def count(engine: Engine, model, *where) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def test_scale_1_is_the_migrated_seed_as_it_is(engine: Engine) -> None:
    events, practices = count(engine, Event), count(engine, Practice)

    report = add_history(engine, 1, now=FIXED_NOW)

    assert report.rows == {}
    assert (count(engine, Event), count(engine, Practice)) == (events, practices)


def test_history_has_the_sizes_and_shapes_of_the_issue(engine: Engine) -> None:
    sizes = sizes_for(SCALE)
    events = count(engine, Event)

    report = add_history(engine, SCALE, now=FIXED_NOW)

    assert report.rows["event"] == sizes.events
    assert count(engine, Event) == events + sizes.events
    assert count(engine, Reminder) == sizes.reminders
    assert count(engine, PilotUpdate) == sizes.pilot_updates
    assert count(engine, Practice) == sizes.practices
    assert count(engine, Member) == sizes.members
    assert count(engine, BenchmarkEdition, BenchmarkEdition.is_sample) == 2 + sizes.editions
    assert count(engine, Event, Event.starts_at > FIXED_NOW) == sizes.upcoming
    # Labelled as sample data wherever the schema has room for it.
    assert count(engine, Event, Event.title.like("Sample %")) == sizes.events
    assert count(engine, Practice, Practice.is_sample.is_(False)) == 0
    # Reminders mostly sent, some pending, none of them due before tomorrow.
    pending = (Reminder.status == "pending",)
    assert (
        0 < count(engine, Reminder, *pending) < count(engine, Reminder, Reminder.status == "sent")
    )
    tomorrow = anchor(FIXED_NOW) + HANDLED_UNTIL
    assert count(engine, Reminder, *pending, Reminder.not_before < tomorrow) == 0
    with engine.connect() as connection:
        spread = connection.execute(
            select(
                func.count(PilotUpdate.pilot_id.distinct()),
                func.count(PilotUpdate.region_id.distinct()),
            )
        ).one()
        years = {d.year for d in connection.scalars(select(PilotUpdate.posted_at))}
    assert tuple(spread) == (3, 10)
    assert len(years) >= 10


def test_the_bot_reads_the_history_and_nothing_falls_due(engine, sessions, core, partner) -> None:
    add_history(engine, SCALE, now=FIXED_NOW)

    deadlines = reply_text(core.run_line(partner, "/deadline list"))
    league = reply_text(core.run_line(partner, "/benchmark"))
    sender = RecordingSender()
    report = Dispatcher(sessions, {"slack": sender}, clock=lambda: FIXED_NOW).run_once()

    assert "Sample deadline:" in deadlines
    assert "Sample 2026-11" in league
    assert report.handled == 0
    assert sender.attempts == 0


def test_due_reminders_are_sent_each_to_its_own_channel(engine, sessions) -> None:
    add_due_reminders(engine, 12, now=FIXED_NOW)
    sender = RecordingSender()

    report = Dispatcher(sessions, {"slack": sender}, clock=lambda: FIXED_NOW).run_once()

    assert (report.sent, report.skipped, report.failed) == (12, 0, 0)
    channels = {target.conversation["channel"] for target, _ in sender.sent}
    assert len(channels) == 12
    assert all("starts in 1 hour" in text for text in sender.texts())


def test_generation_is_deterministic(engine: Engine) -> None:
    def generate() -> list[Rows]:
        with engine.connect() as connection:
            catalogue = load_catalogue(connection, anchor=anchor(FIXED_NOW))
        member_rows(catalogue, sizes_for(SCALE))
        return event_rows(catalogue, sizes_for(SCALE))

    assert generate() == generate()


def test_constant_defaults_are_filled_in_for_copy() -> None:
    rows = Rows("event", EVENT_COLUMNS, [tuple(range(len(EVENT_COLUMNS)))])

    completed = with_defaults(rows)

    assert completed.columns[: len(EVENT_COLUMNS)] == EVENT_COLUMNS
    assert dict(zip(completed.columns, completed.rows[0], strict=True))["description"] == ""


def test_a_required_column_left_out_is_named() -> None:
    with pytest.raises(ValueError, match=r"member\.group_id must be generated"):
        with_defaults(Rows("member", ("id",), [(1,)]))
