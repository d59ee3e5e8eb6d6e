"""Compiled SQL shared by every engine of a process that speaks to the same kind of server.

SQLAlchemy compiles a statement once per engine and keeps it in the engine's cache, keyed by
the engine's dialect object. A process that makes engines one after another (the doctor's
checks, every restore or copy target, each bot the tests start) compiled the same statements
again for each: about 0.7 ms of processor time per statement, a fifth of the test suite's.

This cache is handed to every engine as its ``compiled_cache`` execution option and keys a
dialect by what it compiles from: its class and its settings after connecting (server
version, schema, identifier rules). Engines on servers that differ in any of these keep apart.
"""

from __future__ import annotations

from inspect import getattr_static
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Dialect
from sqlalchemy.util import LRUCache

# Twice SQLAlchemy's 500 per engine: one process may work on two kinds of server at once
# (``db copy``), and the old per-engine caches now stay empty.
CAPACITY = 1000

_PLAIN = (type(None), bool, int, float, str, bytes)


def _plain(value: object) -> bool:
    if isinstance(value, tuple):
        return all(_plain(item) for item in value)
    return isinstance(value, _PLAIN)


def _settings(dialect: Dialect) -> tuple[tuple[str, Any], ...]:
    """The dialect's own plain settings, read at its first statement, after connecting: what
    it was made with and learnt from the server. Values the class computes on first use and
    keeps (memoized properties) are left out: they follow from the rest, and which of them
    exist depends on what the engine has done so far."""
    cls = type(dialect)
    return tuple(
        sorted(
            (name, value)
            # A copy in one step: another thread may memoize an attribute meanwhile.
            for name, value in list(vars(dialect).items())
            if _plain(value) and not hasattr(getattr_static(cls, name, None), "__get__")
        )
    )


class SharedStatementCache:
    """A mapping for ``compiled_cache`` whose keys name a kind of dialect, not one dialect."""

    def __init__(self, capacity: int = CAPACITY):
        self._compiled: LRUCache[Any, Any] = LRUCache(capacity)
        self._kinds: WeakKeyDictionary[Dialect, tuple[Any, ...]] = WeakKeyDictionary()

    def _kind(self, dialect: Dialect) -> tuple[Any, ...]:
        kind = self._kinds.get(dialect)
        if kind is None:
            # Two threads may both work it out at first; they find the same.
            kind = self._kinds[dialect] = (type(dialect), _settings(dialect))
        return kind

    def _key(self, key: Any) -> Any:
        if isinstance(key, tuple) and key and isinstance(key[0], Dialect):
            return (self._kind(key[0]), *key[1:])
        return key

    def get(self, key: Any, default: Any = None) -> Any:
        return self._compiled.get(self._key(key), default)

    def __getitem__(self, key: Any) -> Any:
        return self._compiled[self._key(key)]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._compiled[self._key(key)] = value

    def __contains__(self, key: Any) -> bool:
        return self._key(key) in self._compiled

    def __len__(self) -> int:
        return len(self._compiled)


STATEMENTS = SharedStatementCache()
