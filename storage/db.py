"""Engine and session factory: the one place that knows how to reach the database."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from functools import partial

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.statement_cache import STATEMENTS

DEFAULT_DATABASE_URL = "sqlite:///chemclust.db"
SQLITE_BUSY_SECONDS = 30
# A PostgreSQL server that does not answer must not hold a request (or a stop) for the
# operating system's two-minute TCP timeout.
CONNECT_TIMEOUT_SECONDS = 10
# Connections kept open per process: enough for the commands that run at once under load (eight
# people typing together, the scheduler's jobs). With SQLAlchemy's default of five, the sixth to
# eighth opened a connection (a new PostgreSQL server process) for each request and closed it
# again. The overflow caps one process at 20, so four processes stay within PostgreSQL's default
# 100 connections.
POOL_SIZE = 10
MAX_OVERFLOW = 10
# Query parameters libpq reads as secrets (``?password=…`` works like the user:password@ part).
SECRET_QUERY_PARAMETERS = ("password", "sslpassword")

SessionFactory = sessionmaker[Session]


def database_url(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The configured database address: ``DATABASE_URL`` or a SQLite file in the working dir."""
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    # Hosting platforms hand out postgres:// addresses; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    return url.get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    if is_sqlite(url):
        # How long a write waits for another process's write before "database is locked";
        # ``?timeout=<seconds>`` in the address sets it.
        seconds = float(make_url(url).query.get("timeout", SQLITE_BUSY_SECONDS))  # type: ignore[arg-type]
        engine = create_engine(
            url,
            connect_args={"timeout": seconds},
            execution_options={"compiled_cache": STATEMENTS},
        )
        event.listen(engine, "connect", partial(_configure_sqlite_connection, seconds=seconds))
        return engine
    connect_args = {}
    if "connect_timeout" not in make_url(url).query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    # pre_ping: connections left over from before an outage are replaced, not used and failed.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args=connect_args,
        execution_options={"compiled_cache": STATEMENTS},
    )


def _configure_sqlite_connection(dbapi_connection, _record, *, seconds: float) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers work while one process writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
    cursor.close()


def make_session_factory(engine: Engine) -> SessionFactory:
    # Every session records changes to shared data in the audit trail (storage.audit).
    import storage.audit  # noqa: F401

    return sessionmaker(engine, expire_on_commit=False)


def read_without_transaction(session: Session) -> None:
    """Let ``session`` read in autocommit mode (no BEGIN, no ROLLBACK round trips) when it
    has a connection of its own to set; a session joined to a transaction is left as it is."""
    if isinstance(session.get_bind(), Engine) and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def hidden_password(url: str) -> str:
    """The address with its password (and password parameters) replaced by ``***``."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return "(not a database address)"
    hidden = {key: "***" for key in SECRET_QUERY_PARAMETERS if key in parsed.query}
    if hidden:
        parsed = parsed.update_query_dict(hidden)
    return parsed.render_as_string(hide_password=True)


def url_secrets(url: str) -> list[str]:
    """The secrets in an address, as written and decoded, for the log filter."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return []
    found = [parsed.password] if parsed.password else []
    for key in SECRET_QUERY_PARAMETERS:
        value = parsed.query.get(key)
        found.extend([value] if isinstance(value, str) else list(value or ()))
    # As written, too: a percent-encoded password (p%40ss) appears so in the address.
    location = url.partition("://")[2].partition("/")[0]
    if "@" in location:
        found.append(location.rpartition("@")[0].partition(":")[2])
    return sorted({secret for secret in found if secret})


# When the database cannot be reached ---------------------------------------------------------

# PostgreSQL's "the server is going away or not there yet": admin and crash shutdown, starting.
_SERVER_AWAY_STATES = frozenset({"57P01", "57P02", "57P03"})
# What SQLite says when the file cannot be opened or another process holds it too long.
_SQLITE_AWAY = ("unable to open database file", "disk i/o error", "database is locked")


def database_unreachable(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the database cannot be reached now.

    That is a server down or cut off, a connection lost, a pool that waited in vain, a SQLite
    file that cannot be opened or stays locked: conditions that pass by themselves. A wrong
    statement or a violated constraint is not one of them.
    """
    for cause in _causes(error):
        if isinstance(cause, exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, exc.TimeoutError):
            return True
        original = cause.orig if isinstance(cause, exc.DBAPIError) else cause
        if isinstance(original, sqlite3.OperationalError):
            if str(original).lower().startswith(_SQLITE_AWAY):
                return True
        elif _is_postgres_connection_error(original):
            return True
    return False


def outage_reason(error: BaseException) -> str:
    """One line saying why the database is away, without SQL, parameters or traceback."""
    for cause in _causes(error):
        original = cause.orig if isinstance(cause, exc.DBAPIError) else None
        if original is not None:
            lines = str(original).strip().splitlines()
            return f"{type(original).__name__}: {lines[0] if lines else 'no details'}"
    return type(error).__name__


def _is_postgres_connection_error(error: BaseException) -> bool:
    # psycopg's connection failures are OperationalErrors without a server state (the client
    # gave up) or with a connection-class state; looked up by name so psycopg stays unloaded
    # in SQLite-only processes.
    if type(error).__module__.split(".")[0] != "psycopg":
        return False
    if not any(base.__name__ == "OperationalError" for base in type(error).__mro__):
        return False
    state = getattr(error, "sqlstate", None)
    return state is None or state.startswith("08") or state in _SERVER_AWAY_STATES


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
