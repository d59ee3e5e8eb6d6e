"""Putting a used PostgreSQL test database back into its template's state, instead of dropping it
and creating another.

``CREATE DATABASE … TEMPLATE`` copies every page of the template (its catalogs are most of
its 10 MB) through the write-ahead log, and ``DROP DATABASE`` waits for a checkpoint: together a
second or more of the server's time per test, and most of the suite's disk writes. The seed
data are a few hundred rows. So a used database whose schema is still the template's gets back
the template's rows and sequences; one whose schema a test changed (migrations up and down, a
restore) is dropped as before. One query looks at everything (below); only what a test changed
is written back, so a test that changed nothing costs no write at all.

Whether the schema changed, without reading it: a copy starts with the template's catalog
tuples, byte for byte, xmin included. Any DDL afterwards inserts catalog tuples, or updates
some (a new version, with the new transaction's xid as its xmin), or deletes some. So per
catalog of the database, the visible tuples are still exactly the template's when there are as
many and none has an xmin newer than the template's newest: every tuple written after the copy
has a later xid (xids only grow; wrapping around would take two billion transactions in a run),
and without new ones only deletions could change the set, which the count shows. Rolled-back
DDL leaves nothing visible; xmin is kept as it was when a tuple is frozen. What changes
catalogs without DDL: VACUUM and ANALYZE overwrite pg_class's statistics and frozen-xid columns
in place (xmin unchanged, count unchanged: rightly unseen, those are no schema), and ANALYZE
writes pg_statistic (and pg_statistic_ext_data) transactionally: those two are left out, they
hold no schema. Anything else seen as a change that is none (TRUNCATE gives a table a new file,
a temporary table leaves its schema behind) only costs a drop. Shared catalogs (roles,
databases) belong to no database and are left out.

The same reasoning tells which tables a test wrote to: per table, the number of rows and the
newest xmin, compared with what they were when the database was handed out (the template's
rows, or the rows the last reset copied in, all with that reset's xid). Sequences are compared
by value.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy import make_url

CATALOGS = """
SELECT relname FROM pg_class
 WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' AND NOT relisshared
   AND relname NOT IN ('pg_statistic', 'pg_statistic_ext_data')
 ORDER BY 1
"""

TABLES = """
SELECT c.relname,
       array_agg(a.attname ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '')
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
 GROUP BY c.relname ORDER BY c.relname
"""

SEQUENCES = "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"

# xid has no order in SQL; as text it is the 32-bit number.
NEWEST_XMIN = "max(xmin::text::bigint)"
CURRENT_XID = "SELECT pg_current_xact_id()::text::bigint % 4294967296"

Marks = dict[str, tuple[int, int | None]]  # per table: rows and newest xmin, as handed out


def conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy address."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass(frozen=True)
class TableRows:
    name: str
    columns: tuple[str, ...]  # generated columns left out: the server computes them again
    rows: bytes  # COPY's text format
    count: int


@dataclass(frozen=True)
class TemplateSnapshot:
    state_query: str
    catalogs: tuple[tuple[str, int, int], ...]  # per catalog: tuples and newest xmin
    tables: tuple[TableRows, ...]
    sequences: tuple[tuple[str, int, bool], ...]  # name, last value, whether it was used
    marks: Marks  # the template's tables, as a fresh copy of it has them

    @classmethod
    def of(cls, url: str) -> TemplateSnapshot:
        with psycopg.connect(conninfo(url), autocommit=True) as connection:
            catalogs = [name for (name,) in connection.execute(CATALOGS)]
            tables = []
            for name, columns in connection.execute(TABLES).fetchall():
                copy_out = sql.SQL("COPY {} ({}) TO STDOUT").format(
                    sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                with connection.cursor().copy(copy_out) as copy:
                    rows = b"".join(bytes(block) for block in copy)
                tables.append(TableRows(name, tuple(columns), rows, rows.count(b"\n")))
            sequence_names = [name for (name,) in connection.execute(SEQUENCES)]
            newest = _read_state(connection, newest_query(catalogs, [t.name for t in tables]))
            state_query = _state_query(
                {name: newest["cat", name][1] for name in catalogs},
                [table.name for table in tables],
                sequence_names,
            )
            state = _read_state(connection, state_query)
        return cls(
            state_query=state_query,
            catalogs=tuple((name, *state["cat", name]) for name in catalogs),
            tables=tuple(tables),
            sequences=tuple(
                (name, last_value, bool(is_called))
                for name in sequence_names
                for last_value, is_called in [state["seq", name]]
            ),
            marks={table.name: newest["tab", table.name] for table in tables},
        )

    def restore(self, url: str, marks: Marks) -> Marks | None:
        """Give the database at ``url`` the template's rows and sequences, where they are not
        as ``marks`` (what ``restore`` last returned for it, or ``self.marks``) say they were
        left: its new marks. None (and nothing changed) when its schema is no longer the
        template's."""
        with psycopg.connect(conninfo(url)) as connection:
            try:
                state = _read_state(connection, self.state_query)
            except psycopg.errors.UndefinedTable:  # a test dropped one
                return None
            if any(state["cat", name] != (count, xmin) for name, count, xmin in self.catalogs):
                return None
            stale = [
                table for table in self.tables if state["tab", table.name] != marks[table.name]
            ]
            moved = [
                (name, last_value, is_called)
                for name, last_value, is_called in self.sequences
                if state["seq", name] != (last_value, int(is_called))
            ]
            restored = dict(marks)
            if stale:
                restored.update(self._put_rows_back(connection, stale))
            if moved:
                connection.execute(
                    sql.SQL("SELECT ")
                    + sql.SQL(", ").join(
                        sql.SQL("setval({}, {}, {})").format(
                            sql.Literal(sql.Identifier(name).as_string(connection)),
                            sql.Literal(last_value),
                            sql.Literal(is_called),
                        )
                        for name, last_value, is_called in moved
                    )
                )
        return restored

    @staticmethod
    def _put_rows_back(connection: psycopg.Connection, tables: list[TableRows]) -> Marks:
        # Rows go back as they were, so neither foreign keys nor triggers need to look.
        # Statements go together: one round trip for the deletes.
        connection.execute(
            sql.SQL("; ").join(
                [
                    sql.SQL("SET LOCAL session_replication_role = replica"),
                    *(sql.SQL("DELETE FROM {}").format(sql.Identifier(t.name)) for t in tables),
                ]
            )
        )
        for table in (table for table in tables if table.rows):
            copy_in = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name),
                sql.SQL(", ").join(map(sql.Identifier, table.columns)),
            )
            with connection.cursor().copy(copy_in) as copy:
                copy.write(table.rows)
        xid = connection.execute(CURRENT_XID).fetchone()[0]
        return {table.name: (table.count, xid if table.count else None) for table in tables}


def _each(kind: str, schema: str, name: str, figures: str) -> sql.Composable:
    return sql.SQL("SELECT {}, {}, {} FROM {}.{}").format(
        sql.Literal(kind),
        sql.Literal(name),
        sql.SQL(figures),
        sql.Identifier(schema),
        sql.Identifier(name),
    )


def _union(parts: list[sql.Composable]) -> str:
    return sql.SQL("\nUNION ALL ").join(parts).as_string(None)


def newest_query(catalogs: list[str], tables: list[str]) -> str:
    """Rows and newest xmin, per catalog and table (of the public schema): what changes
    whenever a row is written (see above)."""
    return _union(
        [
            *(_each("cat", "pg_catalog", name, f"count(*), {NEWEST_XMIN}") for name in catalogs),
            *(_each("tab", "public", name, f"count(*), {NEWEST_XMIN}") for name in tables),
        ]
    )


def _state_query(catalogs: dict[str, int], tables: list[str], sequences: list[str]) -> str:
    """One query for everything ``restore`` compares, (kind, name, two numbers) a row: per
    catalog its tuples and how much older its newest tuple is than the template's newest (0
    when none is newer: a tuple's age is cheaper to reckon than its xid as a number, and the
    catalogs have thousands), per table its rows and newest xmin, per sequence its position."""

    def newer(xmin: int | None) -> str:  # an empty catalog gains tuples: its count shows it
        if xmin is None:
            return "count(*), 0::bigint"
        return f"count(*), min(age(xmin))::bigint - age('{xmin:d}'::xid)"

    return _union(
        [
            *(_each("cat", "pg_catalog", name, newer(xmin)) for name, xmin in catalogs.items()),
            *(_each("tab", "public", name, f"count(*), {NEWEST_XMIN}") for name in tables),
            *(_each("seq", "public", name, "last_value, is_called::int") for name in sequences),
        ]
    )


def _read_state(connection: psycopg.Connection, query: str) -> dict[tuple[str, str], tuple]:
    return {(kind, name): (a, b) for kind, name, a, b in connection.execute(query)}
