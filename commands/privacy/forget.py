"""``/chemclust forget me`` (after a confirmation) and a coordinator's ``forget @person``."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.reply import Actions, Bold, Button, Code, Paragraph, Reply, text
from storage.forget import forget_person
from storage.members import ensure_member
from storage.personal_data import find_person

FORGET_ACTION = "privacy.forget"
CONFIRM = "confirm"
USAGE = (
    "/chemclust forget me",
    f"/chemclust forget me {CONFIRM}",
    "/chemclust forget @person   (coordinators)",
)


def forget(ctx: Context, arguments: str) -> Reply:
    words = arguments.split()
    if words[:1] == ["me"] and len(words) == 1:
        return _ask_to_confirm()
    if words == ["me", CONFIRM]:
        return forget_me(ctx)
    if not words:
        raise CommandError(
            "Say whom to forget: yourself, or a person by @.", usage="\n".join(USAGE)
        )
    if words[0] == "me":
        raise CommandError(
            f"To be forgotten, confirm with “{CONFIRM}” after “forget me”.",
            usage="\n".join(USAGE),
        )
    return forget_someone(ctx, arguments.strip())


def _ask_to_confirm() -> Reply:
    return Reply(
        private=True,
        heading="Forget you?",
        parts=(
            Paragraph(
                text(
                    "Your user id and names will be replaced everywhere by a pseudonym "
                    "(“former member …”): your membership, the updates and practices you "
                    "wrote (they stay with your region), the audit trail. Nothing can undo it. "
                    "Get a copy first with ",
                    Code("/chemclust my data"),
                    ".",
                )
            ),
            Actions((Button("Forget me", FORGET_ACTION, value="me", style="danger"),)),
            Paragraph(text("Where there is no button: ", Code(f"/chemclust forget me {CONFIRM}"))),
        ),
        summary="Forget you? Confirm to erase your data.",
    )


def confirm_button(ctx: Context, _value: str) -> Reply:
    # The button only ever forgets whoever clicks it, whatever value the client sends back.
    return forget_me(ctx)


def forget_me(ctx: Context) -> Reply:
    pseudonym = _forget(ctx, ctx.identity.user_id, ctx.identity.user_name)
    parts = [
        Paragraph(
            text(
                "You are forgotten: your user id and names are gone from the bot's database; "
                "what you wrote stays with your region as ",
                Bold(pseudonym),
                ".",
            )
        )
    ]
    if ctx.identity.user_id in ctx.configured_coordinators:
        parts.append(
            Paragraph(
                text(
                    "You are a coordinator by the bot's settings (CHEMCLUST_COORDINATORS): your "
                    "next command records you again; ask whoever runs the bot to take you out."
                )
            )
        )
    return Reply(private=True, parts=tuple(parts), summary="You are forgotten.")


def forget_someone(ctx: Context, target: str) -> Reply:
    usage = "\n".join(USAGE)
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can erase another person; you can erase yourself.")
    person = ctx.mentioned(target)
    if person is None:
        raise CommandError(
            f"“{target}” is not a person I can recognise; mention them with @ "
            "(choose them from the list that opens as you type).",
            usage=usage,
        )
    if person.id == ctx.identity.user_id:
        return forget_me(ctx)
    pseudonym = _forget(ctx, person.id, person.name)
    return Reply(
        private=True,
        parts=(
            Paragraph(
                text(
                    f"{person.written} is forgotten: their user id and names are replaced by ",
                    Bold(pseudonym),
                    " everywhere; their updates and practices stay with their region.",
                )
            ),
        ),
        summary=f"Forgotten: now {pseudonym}.",
    )


def _forget(ctx: Context, user_id: str, name: str | None) -> str:
    with ctx.sessions.begin() as session:
        ensure_member(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            user_id=user_id,
        )
        person = find_person(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            user_id=user_id,
            names=[name or ""],
        )
        return forget_person(
            session=session, group_id=ctx.group_id, person=person, now=ctx.now
        ).pseudonym
