"""Where a person's data is: every row that names them or that they made.

A person is named by their platform user id and the names they went by (their display name,
the name an update was signed with, the name the audit trail recorded). Any text or JSON
column may hold them: an update's author, a reminder's addressee, a form handed to them, a
Teams conversation reference, the before and after of an audit entry, or free text someone
wrote ("thanks to <@U0ADA>"). So the search goes through every text column of every table of
the group's data, matching whole words, plus every row that refers to their member row.
``/chemclust my data`` shows what it finds; ``storage.forget`` rewrites the same cells. Only the
group's data: the same person (or a namesake) in another working group is that group's
business, and so are its rows (``storage.group_scope``).

Columns that name kinds of things rather than people (a platform, a status, a theme) and the
group's fixed vocabulary (regions, indicators, pilots) are not searched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, String, Table, Text, cast, or_, select
from sqlalchemy.orm import Session

from storage.group_scope import belongs_to_a_group, in_group
from storage.models import Base, Member

# Tables of the group's fixed vocabulary, and search data derived from other tables.
_NOT_PERSONAL_TABLES = frozenset(
    {"working_group", "region", "region_alias", "indicator", "pilot_action", "alembic_version"}
)
# Columns that hold a kind of thing, never a person; and secrets, never shown.
_NOT_PERSONAL_COLUMNS = frozenset(
    {
        "platform",
        "actor_platform",
        "kind",
        "status",
        "source",
        "role",
        "timezone",
        "date_precision",
        "seed_key",
        "themes",
        "category",
        "entity",
        "action",
        "conversation_type",
        "form_id",
    }
)
SECRET_COLUMNS = frozenset({"token", "content"})
# Shorter names ("Al") would match ordinary words; they are only found as whole cells.
_SHORTEST_WORD = 3


@dataclass(frozen=True)
class Person:
    group_id: int  # the working group whose data is searched
    platform: str
    user_id: str
    names: frozenset[str]
    member_ids: frozenset[int]

    @property
    def identifiers(self) -> tuple[str, ...]:
        """The user id and the names, longest first (so "Ada Lovelace" goes before "Ada")."""
        return tuple(sorted({self.user_id, *self.names} - {""}, key=lambda s: (-len(s), s)))


def find_person(
    *, session: Session, group_id: int, platform: str, user_id: str, names: Iterable[str] = ()
) -> Person:
    """The person's identifiers as the database knows them, with the names given."""
    from storage.models import AuditEntry, PilotUpdate

    members = list(
        session.scalars(
            select(Member).where(
                Member.group_id == group_id,
                Member.platform == platform,
                Member.platform_user_id == user_id,
            )
        )
    )
    found = {m.display_name for m in members}
    found.update(
        session.scalars(
            select(PilotUpdate.author_name).where(
                PilotUpdate.group_id == group_id,
                PilotUpdate.platform == platform,
                PilotUpdate.author_id == user_id,
            )
        )
    )
    found.update(
        session.scalars(
            select(AuditEntry.actor_name).where(
                AuditEntry.group_id == group_id,
                AuditEntry.actor_platform == platform,
                AuditEntry.actor_user_id == user_id,
            )
        )
    )
    found.update(names)
    return Person(
        group_id=group_id,
        platform=platform,
        user_id=user_id,
        names=frozenset(n.strip() for n in found if n and n.strip() and n.strip() != user_id),
        member_ids=frozenset(m.id for m in members),
    )


def personal_tables() -> list[Table]:
    """The tables searched, parents before children: a group's data, but for its vocabulary."""
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.name not in _NOT_PERSONAL_TABLES and belongs_to_a_group(t)
    ]


def searched_columns(table: Table) -> list[Column]:
    return [
        c
        for c in table.columns
        if isinstance(c.type, String | Text | JSON)
        and not isinstance(c.type, LargeBinary)
        and c.name not in _NOT_PERSONAL_COLUMNS
        and c.name not in SECRET_COLUMNS
    ]


def member_columns(table: Table) -> list[Column]:
    """Columns referring to a member row (who added an event, recorded a delivery)."""
    return [
        c for c in table.columns if any(fk.column.table.name == "member" for fk in c.foreign_keys)
    ]


@dataclass(frozen=True)
class Found:
    table: Table
    row: dict[str, Any]
    # The text or JSON columns that name the person (empty: the row refers to their member row).
    naming: tuple[str, ...]


def rows_about(session: Session, person: Person) -> Iterator[Found]:
    """Every row of the person's group that names them in a searched column or refers to
    their member row."""
    exact = list(person.identifiers)
    words = [w for w in exact if w == person.user_id or len(w) >= _SHORTEST_WORD]
    pattern = _pattern(words)
    for table in personal_tables():
        columns = searched_columns(table)
        conditions = []
        for col in columns:
            for word in words:
                conditions.append(_text_of(col).contains(word, autoescape=True))
                escaped = json.dumps(word)[1:-1]
                if isinstance(col.type, JSON) and escaped != word:
                    conditions.append(_text_of(col).contains(escaped, autoescape=True))
            if not isinstance(col.type, JSON):
                conditions.extend(col == name for name in exact if name not in words)
        if person.member_ids:
            conditions.extend(c.in_(sorted(person.member_ids)) for c in member_columns(table))
        if not conditions:
            continue
        query = select(table).where(in_group(table, person.group_id), or_(*conditions))
        for row in session.execute(query).mappings():
            naming = tuple(c.name for c in columns if _names(row[c.name], pattern, exact))
            refers = any(row[c.name] in person.member_ids for c in member_columns(table))
            if naming or refers:
                yield Found(table, dict(row), naming)


def _text_of(col: Column) -> Any:
    return cast(col, Text) if isinstance(col.type, JSON) else col


def _pattern(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in words) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _names(value: Any, pattern: re.Pattern[str], exact: list[str]) -> bool:
    """Whether ``value`` is one of the identifiers or holds one of the longer ones as words."""
    if isinstance(value, str):
        return value in exact or pattern.search(value) is not None
    if isinstance(value, dict):
        return any(_names(k, pattern, exact) or _names(v, pattern, exact) for k, v in value.items())
    if isinstance(value, list):
        return any(_names(item, pattern, exact) for item in value)
    return False


def rewritten(value: Any, replace: dict[str, str]) -> Any:
    """``value`` with every whole-word occurrence of a key of ``replace`` replaced, inside
    JSON values and keys too."""
    if isinstance(value, str):
        if value in replace:
            return replace[value]
        pattern = _pattern([w for w in replace if len(w) >= _SHORTEST_WORD])
        return pattern.sub(lambda found: replace[found.group(0)], value)
    if isinstance(value, dict):
        return {rewritten(k, replace): rewritten(v, replace) for k, v in value.items()}
    if isinstance(value, list):
        return [rewritten(item, replace) for item in value]
    return value
