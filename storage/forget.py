"""Erasing a person (GDPR) from a working group: their identifiers replaced by a pseudonym
wherever the group's data stores them.

The member row stays, so that what refers to it (practices they added, deliveries they
recorded) still holds together, but it becomes "former member 7": no user id, no name, no
region, no role, marked ``forgotten_at``. Every cell that names them (``storage.personal_data``)
is rewritten: their pilot updates and practices stay with their region, signed with the
pseudonym; the audit trail keeps its entries, with the pseudonym as the one who acted. What
only served to reach them goes: forms handed to them, a Teams chat with them, reminders still
waiting to be sent to them. All of it in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from storage.audit import record_change
from storage.models import (
    PARTNER,
    PENDING,
    REMINDER_CANCELLED,
    FormSession,
    Member,
    Reminder,
    TeamsConversation,
)
from storage.personal_data import Person, rewritten, rows_about


@dataclass(frozen=True)
class Forgotten:
    pseudonym: str
    cells: int  # cells rewritten


def pseudonym_of(member_id: int) -> tuple[str, str]:
    """The name and the user id a forgotten member goes by: unique, and naming no one."""
    return f"former member {member_id}", f"former-member-{member_id}"


def forget_person(*, session: Session, group_id: int, person: Person, now: datetime) -> Forgotten:
    """Pseudonymise ``person`` throughout their group's data (another group's rows are left
    to that group, even where the same person or a namesake appears in them)."""
    if not person.member_ids:
        raise LookupError("only a member of the group can be forgotten")
    member_id = min(person.member_ids)
    name, user_id = pseudonym_of(member_id)
    # Recorded first, so that when the person erases themselves the entry is rewritten too.
    record_change(
        session=session,
        group_id=group_id,
        entity="member",
        entity_id=str(member_id),
        action="forget",
    )
    _stop_reaching(session, person)
    replace = {person.user_id: user_id, **{n: name for n in person.names}}
    cells = 0
    for found in list(rows_about(session, person)):
        changed = {c: rewritten(found.row[c], replace) for c in found.naming}
        changed = {c: v for c, v in changed.items() if v != found.row[c]}
        if not changed:
            continue
        key = [found.table.c[c.name] == found.row[c.name] for c in found.table.primary_key.columns]
        session.execute(update(found.table).where(*key).values(changed))
        cells += len(changed)
    session.execute(
        update(Member)
        .where(Member.id.in_(sorted(person.member_ids)))
        .values(
            platform_user_id=user_id,
            display_name=name,
            region_id=None,
            role=PARTNER,
            forgotten_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return Forgotten(pseudonym=name, cells=cells)


def _stop_reaching(session: Session, person: Person) -> None:
    """What only served to reach the person: nobody may use it under the pseudonym."""
    session.execute(
        delete(FormSession).where(
            FormSession.group_id == person.group_id,
            FormSession.platform == person.platform,
            FormSession.user_id == person.user_id,
        )
    )
    session.execute(
        delete(TeamsConversation).where(
            TeamsConversation.group_id == person.group_id,
            TeamsConversation.personal_user_id == person.user_id,
        )
    )
    session.execute(
        update(Reminder)
        .where(
            Reminder.group_id == person.group_id,
            Reminder.platform == person.platform,
            Reminder.status == PENDING,
            Reminder.target["user"].as_string() == person.user_id,
        )
        .values(status=REMINDER_CANCELLED)
        .execution_options(synchronize_session=False)
    )
