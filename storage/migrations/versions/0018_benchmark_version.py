"""a group's benchmark version, changed by the database on every write of its benchmark rows

Every ``/benchmark`` reply asked whether the group's scored benchmark kept in memory was still
current by reading every edition, indicator and region of the group (hundreds of rows with
years of editions) and comparing them. ``working_group.benchmark_version`` answers the same
question in the row a command reads anyway: triggers give it a fresh random value whenever a
row of ``benchmark_edition`` (a figures change marks its edition), ``indicator``, ``region``
or ``region_alias`` is inserted, updated or deleted, whatever writes it, in the writing
transaction. Random, never counted up: a rolled-back change or a database put back from a
backup or template must never bring back a version that meant other rows.

Revision ID: 0018_benchmark_version
Revises: 0017_practice_search_inline
Create Date: 2026-11-30 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_benchmark_version"
down_revision: str | None = "0017_practice_search_inline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("benchmark_edition", "indicator", "region", "region_alias")
RANDOM = {
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}
POSTGRES_FUNCTION = f"""
CREATE FUNCTION new_benchmark_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE working_group SET benchmark_version = {RANDOM["postgresql"]}
        WHERE id = OLD.group_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.group_id <> OLD.group_id) THEN
        UPDATE working_group SET benchmark_version = {RANDOM["postgresql"]}
        WHERE id = NEW.group_id;
    END IF;
    RETURN NULL;
END $$
"""  # noqa: S608 - constant names and expressions
SQLITE_EVENTS = {
    "insert": "NEW.group_id",
    "update": "OLD.group_id, NEW.group_id",
    "delete": "OLD.group_id",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    random = RANDOM.get(dialect, RANDOM["sqlite"])
    # SQLite adds no column whose default is an expression: a group it creates starts at ""
    # (a group no benchmark row was written for yet), its first region gives it a version.
    default = sa.text(random) if dialect == "postgresql" else ""
    op.add_column(
        "working_group",
        sa.Column("benchmark_version", sa.String(32), nullable=False, server_default=default),
    )
    op.execute(f"UPDATE working_group SET benchmark_version = {random}")  # noqa: S608
    if dialect == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_benchmark_version "
                f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION new_benchmark_version()"
            )
        return
    for table in TABLES:
        for event, groups in SQLITE_EVENTS.items():
            bump = f"UPDATE working_group SET benchmark_version = {random} WHERE id IN ({groups})"  # noqa: S608
            op.execute(
                f"CREATE TRIGGER {table}_benchmark_version_{event} "
                f"AFTER {event.upper()} ON {table} BEGIN {bump}; END"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER {table}_benchmark_version ON {table}")
        else:
            for event in SQLITE_EVENTS:
                op.execute(f"DROP TRIGGER {table}_benchmark_version_{event}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION new_benchmark_version()")
    # Not batch mode: SQLite would copy working_group and drop the old table, and with it
    # (foreign keys on) every row of the group's that cascades from it.
    op.execute("ALTER TABLE working_group DROP COLUMN benchmark_version")
