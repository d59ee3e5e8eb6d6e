"""The audit trail's writing side: who is acting, and one row per change, in the change's own
transaction.

The person acting travels with the session (``session.info``): a command's sessions are made
by ``acting_as`` with the person who typed it, so every storage write below it knows who did
it without each function passing it on. A session nobody set an actor on acts as the bot
itself (``SYSTEM``); the seed opts out (``NOT_AUDITED``), since it is the starting state, not a
change.

Changes to rows are recorded when they are flushed (``storage.audit_entities`` says which rows
and how), so a change made through any surface is recorded, and a change that is rolled back
(a refused command, a failed import) takes its audit row with it. Changes too big for one row
per record (a benchmark edition's figures) call ``record_change`` themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session, sessionmaker

from storage.models import AuditEntry, Base, utcnow

_ACTOR_KEY = "audit_actor"
_OFF_KEY = "audit_off"
_NOW_KEY = "audit_now"
# Session info for writes that are no change anyone made: the seed's starting state.
NOT_AUDITED: dict[str, Any] = {_OFF_KEY: True}


@dataclass(frozen=True)
class Actor:
    """Who made a change, as they were at that moment."""

    platform: str
    user_id: str
    name: str | None = None
    region: str | None = None


# Changes no person asked for (jobs, and writes outside any command).
SYSTEM = Actor(platform="system", user_id="chemclust-bot", name="chemclust-bot")


def acting_as(
    sessions: sessionmaker[Session], actor: Actor, *, now: datetime | None = None
) -> sessionmaker[Session]:
    """The same session factory, whose sessions record ``actor`` as the one who changes,
    at ``now`` when given (a command's own moment), else when the change is written."""
    options = dict(sessions.kw)
    options["info"] = {**options.get("info", {}), _ACTOR_KEY: actor, _NOW_KEY: now}
    return _SameClassSessions(sessions.class_, options)


class _SameClassSessions(sessionmaker[Session]):
    """A sessionmaker making sessions of an existing class: ``sessionmaker()`` derives a new
    Session class each time, and SQLAlchemy copies its event listeners to every new class,
    which cost a command more than a millisecond (two factories per command)."""

    def __init__(self, class_: type[Session], kw: dict[str, Any]):
        self.class_ = class_
        self.kw = kw


def actor_of(session: Session) -> Actor:
    return session.info.get(_ACTOR_KEY) or SYSTEM


def record_change(
    *,
    session: Session,
    group_id: int,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit row in the session's transaction (nothing when the session opted out)."""
    if session.info.get(_OFF_KEY):
        return
    actor, at = actor_of(session), _moment(session)
    row = _row(actor, at, group_id, entity, entity_id, action, before, after)
    session.connection().execute(insert(AuditEntry), [row])


def _moment(session: Session) -> datetime:
    return session.info.get(_NOW_KEY) or utcnow()


def _row(
    actor: Actor,
    at: datetime,
    group_id: int,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "group_id": group_id,
        "at": at,
        "actor_platform": actor.platform,
        "actor_user_id": actor.user_id,
        "actor_name": actor.name,
        "actor_region": actor.region,
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "before": _plain(before) if before is not None else None,
        "after": _plain(after) if after is not None else None,
    }


def _plain(value: Any) -> Any:
    """``value`` as JSON can hold it: times as ISO 8601, records as their labels."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Base):
        return label_of(value)
    return value


def label_of(row: Base) -> str:
    """How a referenced record is named in the trail: its name or key, else its id."""
    for attribute in ("name", "label", "key"):
        value = getattr(row, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(getattr(row, "id", row))


@event.listens_for(Session, "after_flush")
def _record_flushed_changes(session: Session, _flush_context: Any) -> None:
    """One audit row per audited record the flush added, changed or deleted.

    After the flush, new rows have their ids and every attribute still knows its earlier
    value; the rows are inserted on the flush's own connection, so they commit or roll back
    with the change.
    """
    if session.info.get(_OFF_KEY):
        return
    from storage.audit_entities import changes_in

    found = changes_in(session)
    if found:
        actor, at = actor_of(session), _moment(session)
        session.connection().execute(
            insert(AuditEntry),
            [
                _row(actor, at, c.group_id, c.entity, c.entity_id, c.action, c.before, c.after)
                for c in found
            ],
        )
