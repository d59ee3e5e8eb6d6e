"""Pilot actions: listing them and resolving a typed name ("skills", "open innovation")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.lookup import NameMatch, match_name
from storage.models import PilotAction
from storage.text import fold


def list_pilots(*, session: Session, group_id: int) -> list[PilotAction]:
    return list(
        session.scalars(
            select(PilotAction)
            .where(PilotAction.group_id == group_id)
            .options(selectinload(PilotAction.regions))
            .order_by(PilotAction.id)
        )
    )


def resolve_pilot(*, session: Session, group_id: int, query: str) -> NameMatch[PilotAction]:
    """Find a pilot by key, name or keyword, forgiving typos."""
    pilots = {p.id: p for p in list_pilots(session=session, group_id=group_id)}
    names: list[tuple[str, int]] = []
    for pilot in pilots.values():
        spellings = [pilot.key, pilot.name, *pilot.keywords.split(",")]
        names += [(fold(spelling), pilot.id) for spelling in spellings if spelling.strip()]
    return match_name(query, names).map(pilots.__getitem__)
