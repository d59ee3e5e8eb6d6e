"""Invitation codes: a coordinator asks for one, someone in another workspace types it there,
and that workspace joins the coordinator's working group.

A code is twelve letters and digits that cannot be mistaken for one another, shown in three
groups (``K7QX-2MPL-9RTA``), good for one workspace within seven days; only its hash is kept.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from commands.context import Context, Outsider
from commands.errors import CommandError, NotAllowed
from commands.reminders.notices import tell_coordinators
from commands.reply import Bold, Code, Paragraph, Reply, UserRef, When, text
from storage.models import WorkingGroup
from storage.workspaces import add_invitation, find_invitation, link_workspace, linked_group
from storage.workspaces import use_invitation as use_code

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 12
VALID_FOR = timedelta(days=7)
JOINED_NOTICE = "workspace_joined"
ACCEPT_USAGE = "/chemclust accept <code>"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalised(typed: str) -> str | None:
    """The code as issued, from what someone typed (any case, with or without dashes)."""
    bare = "".join(typed.split()).replace("-", "").upper()
    if len(bare) != CODE_LENGTH or any(c not in ALPHABET for c in bare):
        return None
    return "-".join(bare[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def invite(ctx: Context, rest: str) -> Reply:
    if rest.strip():
        raise CommandError("/chemclust invite takes nothing after it.", usage="/chemclust invite")
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can invite a workspace into the working group.")
    if not ctx.joins_by_invitation:
        raise CommandError(
            "This bot serves one workspace, whose people all belong to the "
            f"{ctx.group_name}: there is no other workspace to invite."
        )
    code = new_code()
    expires = ctx.now + VALID_FOR
    with ctx.sessions.begin() as session:
        add_invitation(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            code=code,
            created_by=ctx.identity.user_id,
            now=ctx.now,
            expires_at=expires,
        )
    return Reply(
        private=True,
        parts=(
            Paragraph(text("Invitation code for one workspace: ", Code(code))),
            Paragraph(
                text(
                    "Someone in the workspace to invite types ",
                    Code(f"/chemclust accept {code}"),
                    " there. The code can be used once, until ",
                    When(expires, ctx.timezone),
                    f"; the workspace then belongs to the {ctx.group_name} and you are told.",
                )
            ),
        ),
        summary=f"Invitation code: {code}",
    )


def wants_accept(arguments: str) -> bool:
    return arguments.split(maxsplit=1)[:1] == ["accept"] or arguments.strip().lower() == "accept"


def accept(who: Outsider, arguments: str) -> Reply:
    typed = arguments.strip()[len("accept") :].strip()
    workspace = who.identity.workspace_id
    if not who.joins_by_invitation or not workspace:
        raise CommandError(
            "This bot serves one workspace and needs no invitation: every command works here."
        )
    if not typed:
        raise CommandError("Give the invitation code a coordinator gave you.", usage=ACCEPT_USAGE)
    code = normalised(typed)
    if code is None:
        raise CommandError(
            "That is not an invitation code: it has twelve letters and digits, like "
            "K7QX-2MPL-9RTA.",
            usage=ACCEPT_USAGE,
        )
    platform = who.identity.platform
    with who.sessions.begin() as session:
        current = linked_group(session=session, platform=platform, external_id=workspace)
        if current is not None:
            raise CommandError(f"This workspace already belongs to the {current.name}.")
        invitation = use_code(
            session=session, code=code, platform=platform, workspace=workspace, now=who.now
        )
        if invitation is None:
            raise CommandError(_why_not(session, code, who))
        group = session.get(WorkingGroup, invitation.group_id)
        assert group is not None  # noqa: S101 - the invitation's group, by foreign key
        link_workspace(
            session=session,
            group_id=group.id,
            platform=platform,
            external_id=workspace,
            organisation_id=who.identity.organisation_id,
        )
        tell_coordinators(
            session=session,
            group_id=group.id,
            platform=platform,
            notice=JOINED_NOTICE,
            payload={"workspace": workspace, "by": who.identity.user_id},
            key=f"{workspace}:{invitation.id}",
            now=who.now,
        )
        name = group.name
    return Reply(
        private=True,
        parts=(
            Paragraph(text("This workspace now belongs to the ", Bold(name), ".")),
            Paragraph(text("Say which region you represent: ", Code("/chemclust join <region>"))),
        ),
        summary=f"This workspace now belongs to the {name}.",
    )


def _why_not(session: Session, code: str, who: Outsider) -> str:
    found = find_invitation(session=session, code=code)
    if found is None:
        return "No invitation has that code; check it with the coordinator who gave it to you."
    if found.used_at is not None:
        return "That invitation code has been used; ask a coordinator for a new one."
    return "That invitation code has expired (codes are good for 7 days); ask for a new one."


def joined_notice(session: Session, group_id: int, payload: dict) -> Reply | None:
    group = session.get(WorkingGroup, group_id)
    if group is None:
        return None
    workspace, by = str(payload.get("workspace")), str(payload.get("by"))
    message = f"Workspace {workspace} joined the {group.name} with an invitation code."
    said = text(
        "Workspace ",
        Code(workspace),
        f" joined the {group.name}: ",
        UserRef(by, by),
        " accepted an invitation code there. The group's workspaces: ",
        Code("/chemclust workspaces"),
        ".",
    )
    return Reply(private=True, parts=(Paragraph(said),), summary=message)
