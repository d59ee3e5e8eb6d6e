"""Looking for a person's traces: every text cell of every table the database has."""

from __future__ import annotations

import json

from sqlalchemy import Engine, MetaData, inspect, select


def cells_naming(engine: Engine, needles: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text or JSON cell holding one of ``needles``, in any
    table the database holds (reflected, so search tables and the migration table count too)."""
    found = []
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        metadata = MetaData()
        metadata.reflect(connection, only=names)
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    shown = _as_text(value)
                    if shown is not None and any(n.lower() in shown.lower() for n in needles):
                        found.append((table.name, column, shown))
    return found


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        # JSON kept as text may hold names as \\u escapes: read it back to compare.
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return value + " " + json.dumps(decoded, ensure_ascii=False)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return None
