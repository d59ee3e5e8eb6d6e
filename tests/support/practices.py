"""Helpers for tests of the good-practice library: adding practices, joining regions."""

from __future__ import annotations

from typing import Any

from commands.context import Identity
from commands.core import Core
from storage.db import SessionFactory
from storage.models import Practice, utcnow
from storage.practice_fields import clean_practice
from storage.practices import create_practice
from tests.conftest import FIXED_NOW

GROUP_ID = 1  # the seeded default group


def add_practice(sessions: SessionFactory, **fields: Any) -> int:
    """Write a practice through the real validation; unspecified fields get plain defaults."""
    raw = {
        "title": "A practice for the test",
        "region": "Limburg",
        "themes": "Financing",
        "summary": "A summary that says nothing in particular.",
    }
    raw |= {name: str(value) for name, value in fields.items()}
    with sessions.begin() as session:
        values = clean_practice(raw, session=session, group_id=GROUP_ID, this_year=FIXED_NOW.year)
        practice = create_practice(session=session, group_id=GROUP_ID, values=values, now=utcnow())
        return practice.id


def get(sessions: SessionFactory, practice_id: int) -> Practice | None:
    from storage.practices import get_practice

    with sessions() as session:
        return get_practice(session=session, group_id=GROUP_ID, practice_id=practice_id)


def count(sessions: SessionFactory) -> int:
    from storage.practices import count_practices

    with sessions() as session:
        return count_practices(session=session, group_id=GROUP_ID)


def join(core: Core, identity: Identity, region: str) -> None:
    reply = core.run_command(identity, "chemclust", f"join {region}")
    assert reply.summary.startswith("You now represent"), reply


def console_identity(user_id: str = "console") -> Identity:
    return Identity(platform="console", user_id=user_id, user_name=user_id)
