"""Putting a used PostgreSQL test database back into its template's state, instead of dropping it
and creating another.

``CREATE DATABASE … TEMPLATE`` copies every page of the template (its catalogs are most of
its 10 MB) through the write-ahead log, and ``DROP DATABASE`` waits for a checkpoint: together a
second or more of the server's time per test, and most of the suite's disk writes. The seed
data are a few hundred rows. So a used database whose schema is still the template's gets its
rows and sequences back from a snapshot of the template (a few hundredths of a second); one
whose schema a test changed (migrations up and down, a restore) is dropped as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy import make_url

# What a test may change of a schema, as text: relations and their columns (with types,
# defaults and generation), constraints, indexes, triggers, functions, types, extensions.
SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
    SELECT 'rel ' || c.relname || ' ' || c.relkind::text
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || ' ' || a.attnotnull::text || ' ' || a.attgenerated::text
           || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'trg ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'fun ' || p.oid::regprocedure::text
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'typ ' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'ext ' || extname || ' ' || extversion FROM pg_extension
    UNION ALL
    SELECT 'nsp ' || nspname FROM pg_namespace
) AS schema_items(item)
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


def conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy address."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass(frozen=True)
class TableRows:
    name: str
    columns: tuple[str, ...]  # generated columns left out: the server computes them again
    rows: bytes  # COPY's text format


@dataclass(frozen=True)
class TemplateSnapshot:
    schema: str
    tables: tuple[TableRows, ...]
    sequences: tuple[tuple[str, int, bool], ...]  # name, last value, whether it was used

    @classmethod
    def of(cls, url: str) -> TemplateSnapshot:
        with psycopg.connect(conninfo(url), autocommit=True) as connection:
            schema = connection.execute(SCHEMA_FINGERPRINT).fetchone()[0]
            tables = []
            for name, columns in connection.execute(TABLES).fetchall():
                copy_out = sql.SQL("COPY {} ({}) TO STDOUT").format(
                    sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                with connection.cursor().copy(copy_out) as copy:
                    rows = b"".join(bytes(block) for block in copy)
                tables.append(TableRows(name, tuple(columns), rows))
            sequences = []
            for (name,) in connection.execute(SEQUENCES).fetchall():
                query = sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(name))
                last_value, is_called = connection.execute(query).fetchone()
                sequences.append((name, last_value, is_called))
        return cls(schema, tuple(tables), tuple(sequences))

    def restore(self, url: str) -> bool:
        """Give the database at ``url`` the template's rows and sequences; False (and nothing
        changed) when its schema is no longer the template's."""
        with psycopg.connect(conninfo(url)) as connection:
            if connection.execute(SCHEMA_FINGERPRINT).fetchone()[0] != self.schema:
                return False
            # Rows go back as they were, so neither foreign keys nor triggers need to look.
            # Statements go together: one round trip each for the deletes and the sequences.
            emptied = [
                sql.SQL("DELETE FROM {}").format(sql.Identifier(table.name))
                for table in self.tables
            ]
            connection.execute(
                sql.SQL("; ").join(
                    [sql.SQL("SET LOCAL session_replication_role = replica"), *emptied]
                )
            )
            for table in (table for table in self.tables if table.rows):
                copy_in = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table.name),
                    sql.SQL(", ").join(map(sql.Identifier, table.columns)),
                )
                with connection.cursor().copy(copy_in) as copy:
                    copy.write(table.rows)
            positions = [
                sql.SQL("setval({}, {}, {})").format(
                    sql.Literal(sql.Identifier(name).as_string(connection)),
                    sql.Literal(last_value),
                    sql.Literal(is_called),
                )
                for name, last_value, is_called in self.sequences
            ]
            if positions:
                connection.execute(sql.SQL("SELECT ") + sql.SQL(", ").join(positions))
        return True
