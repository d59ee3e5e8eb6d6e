"""Which working group a row belongs to, for code that walks every table (a person's data, their
erasure): one condition per table, so that such a walk never reaches another group's rows.

A table either carries ``group_id`` itself, or refers to a record that does (a deadline's
deliveries belong to the deadline's group, a recommendation's comments to the
recommendation's). A few tables hold no group's data at all: the groups themselves and what
the platforms need before any group is known (installations, OAuth states, platform deliveries
already handled). A new table that is none of these is refused by ``in_group``, so whoever adds
it decides where it belongs.
"""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, Table, select

# Tables that belong to no working group.
GROUPLESS_TABLES = frozenset(
    {
        "working_group",
        "alembic_version",
        # A platform event id handled once, whichever group it came from (retries' dedupe).
        "seen_event",
        # Slack's installation and OAuth state stores: a workspace's, before any group.
        "slack_bots",
        "slack_installations",
        "slack_oauth_states",
    }
)


class NoGroup(LookupError):
    """A table that neither carries a group nor refers to a record that does."""


def in_group(table: Table, group_id: int) -> ColumnElement[bool]:
    """The condition that keeps ``table``'s rows of the group ``group_id``."""
    if "group_id" in table.c:
        return table.c.group_id == group_id
    through = _owning_reference(table)
    if through is None:
        raise NoGroup(
            f"table {table.name} carries no group_id and refers to no record that does: "
            "give it a group_id, or add it to GROUPLESS_TABLES if it is no group's data"
        )
    (key,) = through.foreign_keys
    parent = key.column.table
    return through.in_(select(key.column).where(parent.c.group_id == group_id))


def _owning_reference(table: Table) -> Column | None:
    """The column referring to a record that carries a group: a required one first (a
    delivery's deadline, not the member who may have recorded it)."""
    found = [
        column
        for column in table.columns
        if len(column.foreign_keys) == 1
        and "group_id" in next(iter(column.foreign_keys)).column.table.c
    ]
    found.sort(key=lambda column: column.nullable)
    return found[0] if found else None


def belongs_to_a_group(table: Table) -> bool:
    return table.name not in GROUPLESS_TABLES
