"""Which records the audit trail follows, what it calls them, and which of their fields it keeps.

A change is named for what people did: a deadline whose start changed was *moved*, a pilot
update whose ``removed_at`` was set was *deleted*. Bookkeeping (ids, timestamps the database
sets, an event's sequence number) is left out, and so are secrets: a calendar's rotation is
recorded, never its token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from storage.audit import label_of
from storage.models import (
    CANCELLED,
    COORDINATOR,
    CalendarFeed,
    Event,
    EventDelivery,
    GroupChannel,
    Member,
    PilotAction,
    PilotChannel,
    PilotMilestone,
    PilotUpdate,
    Practice,
)
from storage.practice_fields import FIELDS as PRACTICE_FIELDS

ADDED, CHANGED, DELETED = "added", "changed", "deleted"
Fields = dict[str, Any]


@dataclass(frozen=True)
class Change:
    group_id: int
    entity: str
    entity_id: str
    action: str
    before: Fields | None
    after: Fields | None


@dataclass(frozen=True)
class Followed:
    """How one model appears in the trail."""

    entity: Callable[[Session, Any], str]
    entity_id: Callable[[Session, Any], str]
    group_id: Callable[[Session, Any], int]
    fields: tuple[str, ...]
    # (what happened, fields before, fields after) -> the action, or None to record nothing.
    action: Callable[[str, Fields, Fields], str | None]


def _own_group(_session: Session, row: Any) -> int:
    return row.group_id


def _named(name: str) -> Callable[[Session, Any], str]:
    return lambda _session, _row: name


def _row_id(_session: Session, row: Any) -> str:
    return str(row.id)


def _event_of(session: Session, row: EventDelivery) -> Event:
    return session.get_one(Event, row.event_id)


def _event_action(what: str, before: Fields, after: Fields) -> str | None:
    if what != CHANGED:
        return {ADDED: "add", DELETED: "delete"}[what]
    if after.get("status") == CANCELLED:
        return "cancel"
    if "starts_at" in after:
        return "move"
    return "edit"


def _delivery_action(what: str, _before: Fields, _after: Fields) -> str | None:
    return {ADDED: "delivered", DELETED: "delivery undone"}.get(what)


def _member_action(what: str, before: Fields, after: Fields) -> str | None:
    if what == ADDED:
        # A person's first command makes their row; only what they joined as is news.
        if after.get("region"):
            return "join"
        return "role" if after.get("role") == COORDINATOR else None
    if what == DELETED:
        return "delete"
    if "forgotten_at" in after:
        return None  # the erasure records itself, without the fields it erased
    if "role" in after:
        return "role"
    if "region" in after:
        return "join"
    return None  # a new display name is the platform's news, not a change to shared data


def _update_action(what: str, before: Fields, after: Fields) -> str | None:
    if what != CHANGED:
        return {ADDED: "log", DELETED: "delete"}[what]
    if "removed_at" in after:
        return "delete" if after["removed_at"] else "restore"
    return "edit"


def _milestone_action(what: str, before: Fields, after: Fields) -> str | None:
    if what != CHANGED:
        return {ADDED: "add", DELETED: "delete"}[what]
    if "done_at" in after:
        return "done" if after["done_at"] else "reopen"
    return "edit"


def _simple(added: str, changed: str, deleted: str) -> Callable[[str, Fields, Fields], str]:
    return lambda what, _before, _after: {ADDED: added, CHANGED: changed, DELETED: deleted}[what]


def _milestone_id(session: Session, row: PilotMilestone) -> str:
    pilot = session.get(PilotAction, row.pilot_id)
    return f"{pilot.key if pilot else row.pilot_id} M{row.number}"


def _calendar_action(what: str, _before: Fields, after: Fields) -> str | None:
    # The feed is made on first use, unasked; only a rotation is someone's change.
    return "rotate" if what == CHANGED and "rotated_at" in after else None


FOLLOWED: dict[type, Followed] = {
    Event: Followed(
        entity=lambda _s, row: row.kind,
        entity_id=lambda _s, row: row.ref,
        group_id=_own_group,
        fields=(
            "title",
            "starts_at",
            "ends_at",
            "timezone",
            "place",
            "status",
            "pilot",
            "regions",
            "lead_minutes",
        ),
        action=_event_action,
    ),
    EventDelivery: Followed(
        entity=lambda s, row: _event_of(s, row).kind,
        entity_id=lambda s, row: _event_of(s, row).ref,
        group_id=lambda s, row: _event_of(s, row).group_id,
        fields=("region", "delivered_at"),
        action=_delivery_action,
    ),
    Member: Followed(
        entity=_named("member"),
        entity_id=_row_id,
        group_id=_own_group,
        fields=("region", "role", "forgotten_at"),
        action=_member_action,
    ),
    PilotUpdate: Followed(
        entity=_named("update"),
        entity_id=_row_id,
        group_id=_own_group,
        fields=("pilot", "region", "text", "status", "milestone", "removed_at"),
        action=_update_action,
    ),
    PilotMilestone: Followed(
        entity=_named("milestone"),
        entity_id=_milestone_id,
        group_id=_own_group,
        fields=("title", "due_on", "done_at"),
        action=_milestone_action,
    ),
    Practice: Followed(
        entity=_named("practice"),
        entity_id=_row_id,
        group_id=_own_group,
        # Every field people fill in, the same as the form and the spreadsheet have.
        fields=tuple(spec.name for spec in PRACTICE_FIELDS),
        action=_simple("add", "edit", "delete"),
    ),
    GroupChannel: Followed(
        entity=_named("channel"),
        entity_id=lambda _s, row: row.platform,
        group_id=_own_group,
        fields=("channel_id", "channel_name"),
        action=_simple("set", "set", "off"),
    ),
    PilotChannel: Followed(
        entity=_named("pilot-link"),
        entity_id=lambda _s, row: row.channel_id,
        group_id=_own_group,
        fields=("pilot",),
        action=_simple("link", "link", "unlink"),
    ),
    CalendarFeed: Followed(
        entity=_named("calendar"),
        entity_id=_named("feed"),
        group_id=_own_group,
        fields=("rotated_at",),
        action=_calendar_action,
    ),
}


def changes_in(session: Session) -> list[Change]:
    """The audited changes of the flush that just ran, in a stable order."""
    found: list[Change] = []
    for what, rows in ((ADDED, session.new), (CHANGED, session.dirty), (DELETED, session.deleted)):
        for row in rows:
            followed = FOLLOWED.get(type(row))
            if followed is None:
                continue
            change = _change(session, followed, what, row)
            if change is not None:
                found.append(change)
    return found


def _change(session: Session, followed: Followed, what: str, row: Any) -> Change | None:
    before: Fields = {}
    after: Fields = {}
    state = inspect(row)
    for name in followed.fields:
        # The value first: a relation given by its key alone is loaded, not taken for empty.
        current = state.attrs[name].value
        if current is None and what == ADDED:
            current = _referenced(session, state.mapper, row, name)
        old, new = _values(state.attrs[name].history, current)
        if what == ADDED:
            if new not in (None, [], ""):
                after[name] = new
        elif what == DELETED:
            if old not in (None, [], ""):
                before[name] = old
        elif old != new:
            before[name], after[name] = old, new
    if what == CHANGED and not after:
        return None
    action = followed.action(what, before, after)
    if action is None:
        return None
    return Change(
        group_id=followed.group_id(session, row),
        entity=followed.entity(session, row),
        entity_id=followed.entity_id(session, row),
        action=action,
        before=before or None,
        after=after or None,
    )


def _referenced(session: Session, mapper: Any, row: Any, name: str) -> Any:
    """A new row's related record given by its key alone (``pilot_id=3``): the row is still
    pending while the flush ends, and pending rows do not load their relations."""
    relation = mapper.relationships.get(name)
    if relation is None or relation.uselist or len(relation.local_columns) != 1:
        return None
    (column,) = relation.local_columns
    key = getattr(row, mapper.get_property_by_column(column).key)
    return session.get(relation.mapper.class_, key) if key is not None else None


def _values(history: Any, current: Any) -> tuple[Any, Any]:
    """The attribute's value before and after the flush, records named by their labels."""
    if (
        isinstance(current, list)
        and history.unchanged is not None
        and any(_is_record(v) for v in (*current, *(history.deleted or ())))
    ):
        # A collection of records (a deadline's regions): compared as sets of names.
        kept = list(history.unchanged or ())
        old = [_label(v) for v in kept + list(history.deleted or ())]
        new = [_label(v) for v in current]
        return sorted(old, key=str), sorted(new, key=str)
    if history.deleted:
        return _label(history.deleted[0]), _label(current)
    if history.added:
        return None, _label(current)
    return _label(current), _label(current)


def _is_record(value: Any) -> bool:
    return hasattr(value, "__table__")


def _label(value: Any) -> Any:
    return label_of(value) if _is_record(value) else value
