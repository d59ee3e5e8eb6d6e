"""Adding a row that a unique constraint allows only once, whichever process is first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Base

T = TypeVar("T", bound=Base)


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


def get_or_add(
    session: Session, find: Callable[[], T | None], make: Callable[[], T]
) -> tuple[T, bool]:
    """The row ``find`` returns, else ``make``'s row added; and whether it is new.

    When another process adds the same row in the same moment, its row stands and is
    returned (found again after the unique constraint refused ours).
    """
    existing = find()
    if existing is not None:
        return existing, False
    row = make()
    if add_once(session, row):
        return row, True
    winner = find()
    if winner is None:
        raise LookupError("a unique constraint refused the row, yet no twin can be found")
    return winner, False
