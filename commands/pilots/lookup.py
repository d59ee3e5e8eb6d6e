"""Finding the pilot and milestone a person meant, and saying clearly when there is none."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.context import Context
from commands.errors import CommandError
from commands.pilots.parse import parse_milestone_ref
from storage.lookup import NameMatch
from storage.milestones import find_milestone, list_milestones
from storage.models import PilotAction, PilotMilestone
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


def milestone_or_error(
    *, session: Session, group_id: int, pilot: PilotAction, number: int, usage: str
) -> PilotMilestone:
    found = find_milestone(session=session, pilot_id=pilot.id, number=number)
    if found is not None:
        return found
    raise CommandError(
        f"{pilot.name} has no milestone M{number}. {milestones_known(session, group_id, pilot)}",
        usage=usage,
    )


def milestones_known(session: Session, group_id: int, pilot: PilotAction) -> str:
    milestones = list_milestones(session=session, group_id=group_id, pilot_id=pilot.id)
    if not milestones:
        return "It has no milestones yet."
    return "Its milestones: " + ", ".join(f"{m.label} {m.title}" for m in milestones) + "."


def form_milestone(
    ctx: Context, session: Session, pilot: PilotAction, typed: str, errors: dict[str, str]
) -> PilotMilestone | None:
    """The milestone the form's field names, or None with the reason under the field."""
    try:
        number = parse_milestone_ref(typed)
    except CommandError as error:
        errors["milestone"] = error.message
        return None
    if number is None:
        found = None
    else:
        found = find_milestone(session=session, pilot_id=pilot.id, number=number)
    if found is None:
        known = milestones_known(session, ctx.group_id, pilot)
        errors["milestone"] = f"{pilot.name} has no milestone “{typed}”. {known}"
    return found
