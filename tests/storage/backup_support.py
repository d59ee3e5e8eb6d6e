"""Helpers for the tests of backups, restores and copies: empty databases on either backend,
a database used the way a group uses it, and independent views of what a database holds
(read through the models, not through the code under test)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url

from commands import build_registry
from commands.context import Identity
from commands.core import Core
from commands.reminders.dispatch import Dispatcher
from storage.benchmark_uploads import save_upload
from storage.db import make_engine, make_session_factory
from storage.migrate import head_revisions
from storage.models import Base, Event
from storage.teams import save_conversation
from tests.conftest import COORDINATOR_ID, FIXED_NOW, PARTNER_ID
from tests.support.benchmark_files import import_2014
from tests.support.events import Clock, RecordingSender, reply_text

(HEAD,) = head_revisions()
OLDER = "0007_teams_updates"  # a revision before the newest, as an old backup has
PARTNER = Identity("slack", PARTNER_ID, "T0001", "CGENERAL", "partner")
COORDINATOR = Identity("slack", COORDINATOR_ID, "T0001", "CGENERAL", "coordinator")
# Values that are easy to lose on the way between backends.
AWKWARD_TEXT = 'Line one\nline two\ttabbed \\N back\\slash "quoted" Płock Ústí 🧪'
AWKWARD_BYTES = bytes(range(256))

# What partners ask, whose answers must be the same from a copy or a restored backup. Each
# backend ranks search hits its own way (FTS5's bm25, PostgreSQL's ts_rank), so the searches
# asked are those both rank alike: the hits are what the copy must get right.
QUESTIONS = (
    (PARTNER, "/benchmark"),
    (PARTNER, "/benchmark Limburg"),
    (PARTNER, "/benchmark Limburg changes"),
    (PARTNER, "/practice"),
    (PARTNER, "/practice olympiad"),
    (PARTNER, "/practice plock"),
    (PARTNER, "/practice chemelot"),
    (PARTNER, "/practice theme:training"),
    (PARTNER, "/pilot status"),
    (PARTNER, "/pilot status skills"),
    (PARTNER, "/deadline list"),
    (PARTNER, "/workshop list"),
    (COORDINATOR, "/chemclust who"),
)
# The searches alone: the one thing each backend builds for itself from the rows.
SEARCHES = tuple((who, line) for who, line in QUESTIONS if line.startswith("/practice "))


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


def far_from_utc(url: str) -> str:
    """The address with sessions in a zone far from UTC on PostgreSQL, where a datetime that
    lost its zone on the way would be read as local time and move by hours."""
    if backend_of(url) != "postgresql":
        return url
    return url + "?options=-c%20TimeZone%3DPacific/Auckland"


def empty_database(request: pytest.FixtureRequest, backend: str) -> str:
    """The URL of a new database without any table, removed after the test."""
    if backend == "sqlite":
        directory = request.getfixturevalue("tmp_path")
        return f"sqlite:///{directory / f'empty-{uuid.uuid4().hex[:8]}.db'}"
    databases = request.getfixturevalue("postgresql_databases")
    name = f"{databases.prefix}_empty_{uuid.uuid4().hex[:8]}"
    with databases.admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = databases.url_for(name)
    request.addfinalizer(lambda: databases.drop(url))
    return far_from_utc(url)


def seeded_database(request: pytest.FixtureRequest, backend: str) -> str:
    """A new migrated and seeded database, like the ``database_url`` fixture's."""
    databases = request.getfixturevalue(f"{backend}_databases")
    url = databases.create()
    request.addfinalizer(lambda: databases.drop(url))
    return far_from_utc(url)


def core_on(url: str, clock=None) -> tuple[Core, object]:
    engine = make_engine(url)
    core = Core(
        build_registry(),
        make_session_factory(engine),
        coordinators=frozenset({COORDINATOR_ID}),
        clock=clock or (lambda: FIXED_NOW),
    )
    return core, engine


def use_the_group(url: str) -> None:
    """Use a seeded database as a group does: people join, deadlines and a workshop with
    reminders (some sent), a delivery, pilot updates and a milestone, a practice, an imported
    edition, a Teams conversation, an uploaded file; plus values that are hard to carry."""
    clock = Clock(FIXED_NOW)
    core, engine = core_on(url, clock)
    try:
        for who, line in (
            (PARTNER, "/chemclust join Limburg"),
            (COORDINATOR, "/chemclust join NRW"),
            (COORDINATOR, '/deadline add "Benchmark data 2014" 2026-12-15 for Limburg, NRW'),
            (COORDINATOR, '/workshop add "Open innovation" 2026-12-10 14:00 at Halle remind 7d,1d'),
            (PARTNER, "/pilot log skills Kick-off with 12 companies in Płock"),
            (PARTNER, f"/pilot log skills {AWKWARD_TEXT}"),
            (COORDINATOR, '/pilot milestone add skills "Training plan" due 2027-03-01'),
            (PARTNER, "/practice add Chemistry olympiad | Limburg | skills | Pupils solve tasks."),
        ):
            reply = core.run_line(who, line)
            assert "Usage" not in reply_text(reply), (line, reply_text(reply))
        deadline = _last_event_number(core, "deadline")
        done = core.run_line(PARTNER, f"/deadline done D{deadline}")
        assert "Limburg" in reply_text(done), reply_text(done)
        import_2014(core.sessions)
        # Reminders due by then go out; the rest stay pending.
        clock.advance(days=4)
        sender = RecordingSender()
        Dispatcher(core.sessions, {"slack": sender}, clock=clock).run_once()
        assert sender.sent, "some reminders were due"
        with core.sessions.begin() as session:
            save_conversation(
                session=session,
                conversation_id="a:1ada",
                group_id=1,
                tenant_id="tenant-1",
                service_url="https://smba.example.net/emea/",
                conversation_type="personal",
                personal_user_id="00000000-0000-0000-0000-0000000000a1",
                reference={"conversation": {"id": "a:1ada"}, "user": {"name": "Ada Łukasiewicz"}},
            )
            save_upload(
                session=session,
                group_id=1,
                source_ref="F123",
                platform="slack",
                user_id=PARTNER_ID,
                filename="figures.xlsx",
                content=AWKWARD_BYTES,
                region_id=None,
                edition_label="2016",
                edition_year=2016,
                replace=False,
            )
            # JSON null, not SQL NULL: a backup must keep the two apart.
            first = session.scalar(select(func.min(Event.id)))
            session.execute(
                update(Event).where(Event.id == first).values(conversation=text("'null'"))
            )
    finally:
        engine.dispose()


def _last_event_number(core: Core, kind: str) -> int:
    with core.sessions() as session:
        return session.scalar(select(func.max(Event.number)).where(Event.kind == kind))


def table_contents(url: str) -> dict[str, list[tuple]]:
    """Every row of every mapped table, read through the models' own column types."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    return {name: len(rows) for name, rows in table_contents(url).items()}


def json_nulls(url: str) -> tuple[int, int]:
    """Events whose conversation is SQL NULL, and those holding JSON null."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            sql_null = connection.scalar(
                text("SELECT count(*) FROM event WHERE conversation IS NULL")
            )
            json_null = connection.scalar(
                text("SELECT count(*) FROM event WHERE CAST(conversation AS TEXT) = 'null'")
            )
    finally:
        engine.dispose()
    return sql_null, json_null


def answers(url: str, questions=QUESTIONS) -> dict[str, str]:
    """What the bot answers the usual questions from this database, as console text."""
    core, engine = core_on(url, lambda: FIXED_NOW + timedelta(days=4))
    try:
        return {line: reply_text(core.run_line(who, line)) for who, line in questions}
    finally:
        engine.dispose()
