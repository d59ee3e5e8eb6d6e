"""``/chemclust workspaces``: the group's workspaces; ``/chemclust workspace remove <id>``
unlinks one (coordinators), whose people then see no more of the group."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.reply import Code, Field, Fields, Paragraph, Reply, When, text
from storage.text import fold
from storage.workspaces import group_workspaces, unlink_workspace

REMOVE_USAGE = "/chemclust workspace remove <workspace id>"


def workspaces_command(ctx: Context, rest: str) -> Reply:
    verb, _, target = rest.strip().partition(" ")
    match fold(verb):
        case "" | "list":
            return listed(ctx)
        case "remove":
            return remove(ctx, target.strip())
    raise CommandError(
        f"/chemclust workspaces has no “{verb}”.",
        usage=f"/chemclust workspaces\n{REMOVE_USAGE}",
    )


def listed(ctx: Context) -> Reply:
    with ctx.sessions() as session:
        linked = group_workspaces(session=session, group_id=ctx.group_id)
    if not linked:
        message = f"No workspace is linked to the {ctx.group_name}: " + (
            "invite one with /chemclust invite."
            if ctx.joins_by_invitation
            else "this bot serves one workspace, and everyone in it belongs to the group."
        )
        return Reply(private=True, parts=(Paragraph(text(message)),), summary=message)
    fields = tuple(
        Field(
            workspace.name or workspace.external_id,
            text(
                Code(workspace.external_id),
                ", since ",
                When(workspace.created_at, ctx.timezone, "day"),
            ),
        )
        for workspace in linked
    )
    return Reply(
        heading=f"Workspaces of the {ctx.group_name}",
        parts=(Fields(fields), Paragraph(text("Unlink one: ", Code(REMOVE_USAGE)))),
        private=True,
    )


def remove(ctx: Context, external_id: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can remove a workspace from the working group.")
    if not external_id:
        raise CommandError("Say which workspace, by its id.", usage=REMOVE_USAGE)
    if external_id == ctx.identity.workspace_id:
        raise CommandError(
            "You cannot remove the workspace you are typing in; ask a coordinator elsewhere."
        )
    with ctx.sessions.begin() as session:
        removed = unlink_workspace(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            external_id=external_id,
        )
    if not removed:
        raise CommandError(
            f"No workspace “{external_id}” belongs to the {ctx.group_name}; "
            "see /chemclust workspaces.",
            usage=REMOVE_USAGE,
        )
    message = f"Workspace {external_id} no longer belongs to the {ctx.group_name}."
    return Reply(private=True, parts=(Paragraph(text(message)),), summary=message)
