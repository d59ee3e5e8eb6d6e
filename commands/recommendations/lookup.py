"""Finding the recommendation a person means by ``R3`` (or ``3``, ``#3``)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from commands.context import Context
from commands.errors import CommandError
from commands.numbers import read_number
from storage.models import Recommendation
from storage.numbers import MAX_ID, WholeNumber
from storage.recommendations import get_recommendation

RECOMMENDATION_NUMBER = WholeNumber("a recommendation id", 1, MAX_ID, "R3")
_REF = re.compile(r"^#?(?:[Rr]-?)?(?P<number>.+)$")


def split_ref(arguments: str, *, usage: str) -> tuple[str, str]:
    """``"R3 until Friday"`` -> ``("R3", "until Friday")``; refuses when no id is given."""
    ref, _, rest = arguments.strip().partition(" ")
    if not ref:
        raise CommandError("Say which recommendation, by its id (R3).", usage=usage)
    return ref, rest.strip()


def recommendation_or_error(
    ctx: Context, typed: str, *, session: Session, usage: str
) -> Recommendation:
    found = _REF.match(typed.strip())
    if found is None or not found["number"].isdigit() or not found["number"].isascii():
        raise CommandError(
            f"“{typed}” is not a recommendation id; ids look like R3 (see /recommendation list).",
            usage=usage,
        )
    number = read_number(RECOMMENDATION_NUMBER, found["number"], usage=usage, shown=typed)
    recommendation = get_recommendation(session=session, group_id=ctx.group_id, number=number)
    if recommendation is None:
        raise CommandError(
            f"There is no recommendation R{number}. See /recommendation list.", usage=usage
        )
    return recommendation
