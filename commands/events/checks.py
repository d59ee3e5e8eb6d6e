"""What the verbs check first: who may change events, and which event was named."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.events.drafts import Family
from commands.events.grammar import EVENT_NUMBER, parse_ref
from commands.numbers import read_number
from storage.events import find_event, get_event
from storage.models import KIND_PREFIX, Event


def _require_coordinator(ctx: Context, doing: str) -> None:
    if not ctx.is_coordinator:
        raise NotAllowed(
            f"Only coordinators can {doing}. Ask one of them (see /chemclust who); "
            "you can see what is planned with /workshop list and /deadline list."
        )


def _find(ctx: Context, family: Family, typed: str, usage: str) -> Event:
    if not typed:
        raise CommandError("Say which one, by its id (see the list).", usage=usage)
    parsed = parse_ref(typed, usage=usage)
    if parsed is None:
        raise CommandError(
            f"“{typed}” is not an event id; ids look like W12 or D7 (see /{family.command} list).",
            usage=usage,
        )
    letter, number = parsed
    with ctx.sessions() as session:
        event = find_event(session=session, group_id=ctx.group_id, number=number)
    if event is None:
        raise CommandError(
            f"There is no event {typed}. See /{family.command} list for the ids.", usage=usage
        )
    if letter is not None and letter != KIND_PREFIX[event.kind]:
        raise CommandError(
            f"{typed} is not an id I know; did you mean {event.ref} ({event.title})?", usage=usage
        )
    if event.kind not in family.kinds:
        other = "deadline" if event.kind == "deadline" else "workshop"
        raise CommandError(
            f"{event.ref} is a {event.kind}; use /{other} for it.",
            usage=usage.replace(f"/{family.command}", f"/{other}"),
        )
    return event


def _event_by_id(ctx: Context, value: str) -> Event:
    event_id = read_number(EVENT_NUMBER, value)  # a button's value comes back from the client
    with ctx.sessions() as session:
        event = get_event(session=session, event_id=event_id)
    if event is None or event.group_id != ctx.group_id:
        raise CommandError("That event no longer exists.")
    return event
