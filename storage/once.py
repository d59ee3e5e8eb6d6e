"""Adding a row that a unique constraint allows only once, whichever process is first."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Base


def add_once(session: Session, row: Base) -> bool:
    """True when ``row`` was added; False when a unique constraint already holds its twin.

    A savepoint keeps the surrounding transaction usable after the refusal. On PostgreSQL a
    concurrent insert of the twin waits for the other transaction and then fails here.
    """
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True
