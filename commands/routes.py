"""Read-only web pages a feature serves (the calendar feed), in platform-neutral terms.

A feature registers a ``Route``: a path pattern and a handler that gets the path's values and
returns a ``WebResponse``. The web process mounts every registered route for GET, runs the
handler off its event loop, and answers 503 with ``unavailable`` while the database is away.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from storage.db import SessionFactory


@dataclass(frozen=True)
class WebRequest:
    params: Mapping[str, str]  # the values of the path's {placeholders}
    sessions: SessionFactory
    now: datetime


@dataclass(frozen=True)
class WebResponse:
    body: bytes
    content_type: str = "text/plain"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


def not_found(what: str) -> WebResponse:
    """The same plain answer for an unknown and a withdrawn address, so none can be probed."""
    return WebResponse(f"No {what} at this address.\n".encode(), status=404)


@dataclass(frozen=True)
class Route:
    # ``/calendar/{token:[A-Za-z0-9_-]{8,128}}.ics``: literal text and {name:regex} parts.
    path: str
    handler: Callable[[WebRequest], WebResponse]
    # What is not served while the database is away, for the 503 and the log: "calendar".
    what: str
