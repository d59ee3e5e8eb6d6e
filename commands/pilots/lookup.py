"""Finding the pilot a person meant, and saying clearly when there is none."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.errors import CommandError
from storage.lookup import NameMatch
from storage.models import PilotAction
from storage.pilots import list_pilots, resolve_pilot
from storage.text import fold


def pilot_names(pilots: list[PilotAction]) -> str:
    """``Chemical parks as knowledge sites (parks), Open innovation (open-innovation), …``"""
    return ", ".join(f"{pilot.name} ({pilot.key})" for pilot in pilots)


def spellings(pilots: list[PilotAction]) -> set[str]:
    """Every folded key, name and keyword of the pilots: what counts as naming one exactly."""
    found: set[str] = set()
    for pilot in pilots:
        for spelling in (pilot.key, pilot.name, *pilot.keywords.split(",")):
            if spelling.strip():
                found.add(fold(spelling))
    return found


def not_found_message(found: NameMatch[PilotAction], pilots: list[PilotAction]) -> str:
    names = ", ".join(pilot.name for pilot in found.candidates)
    if not found.query.strip():
        return f"Say which pilot. The pilots are: {pilot_names(pilots)}."
    if found.ambiguous:
        return f"“{found.query}” fits several pilots: {names}. Which one do you mean?"
    return f"I don't know a pilot called “{found.query}”. The pilots are: {pilot_names(pilots)}."


def pilot_or_error(*, session: Session, group_id: int, query: str, usage: str) -> PilotAction:
    found = resolve_pilot(session=session, group_id=group_id, query=query)
    if found.match is not None:
        return found.match
    pilots = list_pilots(session=session, group_id=group_id)
    raise CommandError(not_found_message(found, pilots), usage=usage)
