"""Every table either belongs to a working group, by its own group_id or through the record it
refers to, or is named as no group's data: code that walks every table (a person's data, their
erasure) can keep to one group without knowing the tables."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from storage.group_scope import GROUPLESS_TABLES, NoGroup, belongs_to_a_group, in_group
from storage.models import Base


def test_every_table_is_a_groups_or_named_as_no_groups():
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    assert GROUPLESS_TABLES - {"alembic_version"} <= set(tables)
    for table in tables.values():
        if belongs_to_a_group(table):
            condition = str(in_group(table, 7))
            assert "group_id" in condition, table.name


def test_a_row_without_a_group_belongs_to_the_group_of_the_record_it_requires():
    deliveries = Base.metadata.tables["event_delivery"]
    # Through the deadline (required), not the member who may have recorded it (optional).
    assert str(in_group(deliveries, 7)).startswith("event_delivery.event_id IN (SELECT event.id")


def test_a_new_table_of_no_known_group_is_refused_with_what_to_do():
    metadata = MetaData()
    Table("lonely", metadata, Column("id", Integer, primary_key=True), Column("note", String))
    Table(
        "child",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("lonely_id", ForeignKey("lonely.id")),
    )
    for name in ("lonely", "child"):
        with pytest.raises(NoGroup, match=f"table {name} carries no group_id.*GROUPLESS_TABLES"):
            in_group(metadata.tables[name], 7)
