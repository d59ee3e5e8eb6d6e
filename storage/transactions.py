"""One database transaction around work that opens sessions of its own.

Commands open their sessions through the factory they are given (``ctx.sessions``). To make
a piece of work and the record that it was done (a platform delivery claimed, a form used up)
land together or not at all, the work gets a factory whose sessions all join one outer
transaction: their commits become savepoints, and only the end of the block commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker

from storage.db import SessionFactory


@contextmanager
def one_transaction(sessions: SessionFactory) -> Iterator[SessionFactory]:
    """Sessions sharing one transaction: committed when the block ends, rolled back if it
    raises (also for an exception the caller expects, such as a form's errors)."""
    engine = sessions.kw["bind"]
    with engine.connect() as connection:
        transaction = connection.begin()
        if connection.dialect.name == "sqlite":
            # SQLite's driver would open the transaction only at the first write, so savepoints
            # taken before it would not nest in it; and a transaction that read first cannot
            # write after another connection has (its snapshot is stale). Begin it now, as the
            # one writer, which later writers wait for (busy_timeout).
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield sessionmaker(
                bind=connection,
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
            )
        except BaseException:
            transaction.rollback()
            raise
        transaction.commit()
