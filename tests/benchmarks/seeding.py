"""Seeding the suite's databases: the project's migrations and seed, then generated history
written in bulk (PostgreSQL ``COPY`` through psycopg; batched inserts on SQLite).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import JSON, Connection, Engine, func, insert, select, text

from storage.models import Base
from tests.benchmarks.history_events import due_reminder_rows, event_rows
from tests.benchmarks.history_other import benchmark_rows, member_rows, practice_rows, update_rows
from tests.benchmarks.rows import TABLES_WITH_IDS, Rows, load_catalogue
from tests.benchmarks.sizes import anchor, sizes_for

SQLITE_BATCH = 5_000


@dataclass
class SeedReport:
    """What seeding added and how long it took (seconds): generating and writing the rows
    (which overlap on PostgreSQL), building indexes, and gathering planner statistics."""

    rows: dict[str, int] = field(default_factory=dict)
    load_seconds: float = 0.0
    analyze_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        return self.load_seconds + self.analyze_seconds


def add_history(engine: Engine, scale: float, *, now: datetime | None = None) -> SeedReport:
    """Add the generated history for ``scale`` to a migrated, seeded database."""
    report = SeedReport()
    sizes = sizes_for(scale)
    if sizes is None:
        return report
    started = time.perf_counter()
    with engine.connect() as connection:
        catalogue = load_catalogue(connection, anchor=anchor(now))
        writer = BulkWriter(connection, HISTORY_TABLES)
        # Members first: the other generators name these people.
        for generate in (member_rows, event_rows, update_rows, benchmark_rows, practice_rows):
            tables = generate(catalogue, sizes)
            writer.write(tables)
            report.rows.update({rows.table: len(rows) for rows in tables})
        writer.finish()
    report.load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    analyze(engine)
    report.analyze_seconds = time.perf_counter() - started
    return report


HISTORY_TABLES = frozenset((*TABLES_WITH_IDS, "event_region", "practice_pilot"))


def add_due_reminders(engine: Engine, count: int, *, now: datetime) -> None:
    """``count`` workshops starting within the hour, each in its own channel, each with its
    "1h" reminder due now: the dispatcher's work at its busiest."""
    with engine.connect() as connection:
        catalogue = load_catalogue(connection, anchor=now)
        tables = due_reminder_rows(catalogue, count, now=now)
        writer = BulkWriter(connection, {rows.table for rows in tables})
        writer.write(tables)
        writer.finish()


class BulkWriter:
    """Writes tables in one transaction, then moves PostgreSQL's id sequences past the ids
    written (the generators choose ids, so that rows can refer to each other).

    On PostgreSQL a thread of its own runs the ``COPY``s, so that the server stores one table
    while the next is generated; and, as pg_restore does, foreign keys go unchecked (the
    generators keep them; checking every row triples the time) and the plain indexes of
    ``tables`` are built once at the end rather than row by row.
    """

    def __init__(self, connection: Connection, tables: Iterable[str]):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="copy") if self.postgres else None
        self._writing: list[Future[None]] = []
        self._rebuild: list[str] = []
        if self.postgres:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            self._rebuild = _drop_plain_indexes(connection, set(tables))

    def write(self, tables: list[Rows]) -> None:
        if self._pool is None:
            for rows in map(with_defaults, tables):
                _insert(self.connection, rows)
            return
        self._writing.append(self._pool.submit(self._copy_all, tables))

    def _copy_all(self, tables: list[Rows]) -> None:
        for rows in map(with_defaults, tables):
            _copy(self.connection, rows)

    def finish(self) -> None:
        if self._pool is not None:
            try:
                for writing in self._writing:
                    writing.result()
            finally:
                self._pool.shutdown(cancel_futures=True)
            for definition in self._rebuild:
                self.connection.exec_driver_sql(definition)
            for name in TABLES_WITH_IDS:
                highest = select(func.coalesce(func.max(Base.metadata.tables[name].c.id), 1))
                sequence = func.pg_get_serial_sequence(name, "id")
                self.connection.execute(select(func.setval(sequence, highest.scalar_subquery())))
        self.connection.commit()


def with_defaults(rows: Rows) -> Rows:
    """``rows`` with the columns it leaves out that have a constant default (COPY does not
    apply SQLAlchemy's defaults); a required column left out without one is a generator bug."""
    table = Base.metadata.tables[rows.table]
    extra: dict[str, object] = {}
    for column in table.columns:
        if column.name in rows.columns:
            continue
        if column.default is not None and column.default.is_scalar:
            extra[column.name] = column.default.arg
        elif not (column.nullable or column.primary_key or column.server_default is not None):
            raise ValueError(f"{rows.table}.{column.name} must be generated: it has no default")
    if not extra:
        return rows
    constants = tuple(extra.values())
    completed = [row + constants for row in rows.rows]
    return Rows(rows.table, (*rows.columns, *extra), completed)


def _drop_plain_indexes(connection: Connection, tables: set[str]) -> list[str]:
    """Drop the indexes of ``tables`` that back no constraint; return how to create them."""
    found = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes AS i "
            "WHERE schemaname = current_schema() AND tablename = ANY(:tables) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)"
        ),
        {"tables": sorted(tables)},
    ).all()
    for name, _ in found:
        connection.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _, definition in found]


def _json_positions(rows: Rows) -> list[int]:
    table = Base.metadata.tables[rows.table]
    return [i for i, name in enumerate(rows.columns) if isinstance(table.c[name].type, JSON)]


def _copy(connection: Connection, rows: Rows) -> None:
    json_at = _json_positions(rows)
    # Generators share one dict among rows that say the same (a channel, a lead time's
    # payload): encode each object once.
    encoded: dict[int, str] = {}
    statement = f"COPY {rows.table} ({', '.join(rows.columns)}) FROM STDIN"
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows.rows:
            if json_at:
                row = list(row)
                for position in json_at:
                    value = row[position]
                    if (text_ := encoded.get(id(value))) is None:
                        text_ = encoded[id(value)] = json.dumps(value)
                    row[position] = text_
            copy.write_row(row)


def _insert(connection: Connection, rows: Rows) -> None:
    table = Base.metadata.tables[rows.table]
    for start in range(0, len(rows.rows), SQLITE_BATCH):
        batch = rows.rows[start : start + SQLITE_BATCH]
        connection.execute(
            insert(table), [dict(zip(rows.columns, row, strict=True)) for row in batch]
        )


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, as autovacuum would have gathered on a database this old."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(
            "VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"
        )
