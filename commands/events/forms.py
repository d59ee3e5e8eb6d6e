"""The modals behind ``/workshop add`` and ``/deadline add`` with nothing after them."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.events.drafts import DEADLINES, WORKSHOPS, DraftProblems, Family, check_draft
from commands.events.planning import create_from_draft
from commands.reply import FormErrors, Reply


def _submit(family: Family):
    def submit(ctx: Context, values: dict[str, str], state: str) -> Reply:
        if not ctx.is_coordinator:
            # Roles can change between opening the form and sending it.
            raise FormErrors({"title": f"Only coordinators can add {family.noun}s."})
        try:
            draft = check_draft(ctx, family, values)
        except DraftProblems as problems:
            raise FormErrors(problems.problems) from None
        except CommandError as error:
            raise FormErrors({"title": error.message}) from None
        return create_from_draft(ctx, draft)

    return submit


submit_workshop = _submit(WORKSHOPS)
submit_deadline = _submit(DEADLINES)
