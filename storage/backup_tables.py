"""The rows that backups, restores and copies move: every table of the migrated schema in
dependency order, read in one snapshot and written in batches, derived search data left out.

Tables are reflected from the database rather than taken from the models, so that a database
at an older schema revision (an old backup) moves as faithfully as one at the newest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    bindparam,
    cast,
    column,
    func,
    insert,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.types import TypeEngine

from storage.migrate import UNMAPPED_COLUMNS, UNMAPPED_TABLE_PREFIXES
from storage.models.base import UTCDateTime

ALEMBIC_TABLE = "alembic_version"
BATCH_SIZE = 1000

# What a column holds, as far as moving its values goes; the first matching type decides
# (Float before Numeric: a float is a number that must not become a Decimal).
_KINDS: tuple[tuple[type[TypeEngine], str], ...] = (
    (Boolean, "boolean"),
    (DateTime, "datetime"),
    (Date, "date"),
    (JSON, "json"),
    (LargeBinary, "binary"),
    (Integer, "integer"),
    (Float, "float"),
    (Numeric, "decimal"),
    (String, "text"),
)


class BackupError(Exception):
    """A backup, restore or copy cannot go ahead; the message says why in one line."""


@dataclass(frozen=True)
class ColumnShape:
    name: str
    kind: str
    type: TypeEngine


@dataclass(frozen=True)
class TableShape:
    name: str
    columns: tuple[ColumnShape, ...]
    primary_key: tuple[str, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def in_order(self, names: Sequence[str], *, of: str) -> TableShape:
        """This table with its columns in the order of ``names``, the same columns that ``of``
        (the other side, in messages) has: backends may order one revision's columns apart."""
        if set(names) != set(self.column_names):
            differ = sorted(set(names) ^ set(self.column_names))
            raise BackupError(
                f"Table {self.name} has other columns in {of} than in the database "
                f"({', '.join(differ)})."
            )
        by_name = {c.name: c for c in self.columns}
        return TableShape(self.name, tuple(by_name[n] for n in names), self.primary_key)


def table_shapes(connection: Connection) -> list[TableShape]:
    """The tables whose rows make up the group's data, parents before children."""
    names = [
        name
        for name in inspect(connection).get_table_names()
        if name != ALEMBIC_TABLE and not name.startswith(UNMAPPED_TABLE_PREFIXES)
    ]
    metadata = MetaData()
    metadata.reflect(connection, only=names)
    return [_shape(reflected) for reflected in metadata.sorted_tables]


def _shape(reflected: Table) -> TableShape:
    columns = tuple(
        ColumnShape(c.name, _kind(reflected.name, c.name, c.type), c.type)
        for c in reflected.columns
        # Search vectors and other generated columns are derived: the target computes its own.
        if c.computed is None and (reflected.name, c.name) not in UNMAPPED_COLUMNS
    )
    return TableShape(
        name=reflected.name,
        columns=columns,
        primary_key=tuple(c.name for c in reflected.primary_key.columns),
    )


def _kind(table_name: str, column_name: str, type_: TypeEngine) -> str:
    for type_class, kind in _KINDS:
        if isinstance(type_, type_class):
            return kind
    raise BackupError(
        f"Column {table_name}.{column_name} has the type {type_!r}, which backups cannot carry yet."
    )


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees the database as it was at one moment, however much
    the running bot writes meanwhile."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        else:
            # SQLite's driver begins transactions only before writes: without this, every
            # query would read a newer state. In WAL mode the writers are not held up.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _clause(shape: TableShape) -> TableClause:
    """The table with the types values move in: datetimes in UTC whatever the backend keeps,
    JSON as its stored text (so that SQL NULL and JSON null stay apart)."""
    columns = []
    for col in shape.columns:
        if col.kind == "datetime":
            columns.append(column(col.name, UTCDateTime()))
        elif col.kind == "json":
            columns.append(column(col.name, Text()))
        else:
            columns.append(column(col.name, col.type))
    return table(shape.name, *columns)


def read_rows(
    connection: Connection, shape: TableShape, *, batch_size: int = BATCH_SIZE
) -> Iterator[list[tuple]]:
    """The table's rows in batches, values in the order of ``shape.columns``, by primary key."""
    clause = _clause(shape)
    selected = [
        cast(clause.c[c.name], Text) if c.kind == "json" else clause.c[c.name]
        for c in shape.columns
    ]
    # By primary key, so that a row referring to an earlier row of its table comes after it.
    order = [clause.c[name] for name in shape.primary_key] or selected
    query = select(*selected).order_by(*order).execution_options(yield_per=batch_size)
    for batch in connection.execute(query).partitions():
        yield [tuple(row) for row in batch]


def insert_rows(connection: Connection, shape: TableShape, rows: Sequence[Sequence]) -> None:
    """Insert rows whose values are in the order of ``shape.columns``."""
    if not rows:
        return
    clause = _clause(shape)
    on_postgresql = connection.dialect.name == "postgresql"
    values = {}
    for index, col in enumerate(shape.columns):
        parameter = bindparam(f"v{index}", type_=clause.c[col.name].type)
        # PostgreSQL takes JSON text only when told it is JSON; SQLite stores it as text.
        values[col.name] = (
            cast(parameter, col.type) if col.kind == "json" and on_postgresql else (parameter)
        )
    statement = insert(clause).values(values)
    connection.execute(statement, [{f"v{i}": value for i, value in enumerate(row)} for row in rows])
    if shape.name == "working_group" and VERSION in shape.column_names:
        names = shape.column_names
        versions = connection.info.setdefault(VERSION, {})
        versions.update((row[names.index("id")], row[names.index(VERSION)]) for row in rows)


# Writing a group's benchmark rows gives it a new version (migration 0018's triggers), also
# when they are copied: a copy puts the versions the rows had back (``keep_benchmark_versions``).
VERSION = "benchmark_version"


def keep_benchmark_versions(connection: Connection) -> None:
    """Give the groups inserted on ``connection`` the benchmark versions they were copied with."""
    versions = connection.info.pop(VERSION, {})
    if versions:
        connection.execute(
            text(f"UPDATE working_group SET {VERSION} = :version WHERE id = :id"),  # noqa: S608
            [{"id": id_, "version": version} for id_, version in versions.items()],
        )


def count_rows(connection: Connection, names: Iterable[str]) -> dict[str, int]:
    return {
        name: connection.scalar(select(func.count()).select_from(table(name))) or 0
        for name in names
    }


def reset_sequences(connection: Connection, shapes: Sequence[TableShape]) -> None:
    """Point PostgreSQL's id sequences past the copied ids, so that new rows get fresh ones."""
    if connection.dialect.name != "postgresql":
        return  # SQLite takes the next id from the rows themselves
    quote = connection.dialect.identifier_preparer.quote
    for shape in shapes:
        if len(shape.primary_key) != 1:
            continue
        key = shape.primary_key[0]
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote(shape.name), "column": key},
        )
        if sequence is None:
            continue
        highest = connection.scalar(select(func.max(column(key))).select_from(table(shape.name)))
        connection.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
            {"sequence": sequence, "value": highest or 1, "called": highest is not None},
        )
