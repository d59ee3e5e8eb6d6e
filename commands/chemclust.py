"""``/chemclust``: membership (who represents which region), roles, and help."""

from __future__ import annotations

from commands.audit import audit
from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.pilots.digest import channel_command, digest_reply
from commands.privacy.forget import forget
from commands.privacy.my_data import my_data
from commands.registry import Registry
from commands.reply import (
    Actions,
    Bold,
    Button,
    Code,
    Field,
    Fields,
    Paragraph,
    Reply,
    Text,
    UserRef,
    code_lines,
    text,
)
from commands.workspaces.invitations import invite
from commands.workspaces.listing import workspaces_command
from storage.members import RosterEntry, join_region, list_members, set_role
from storage.models import COORDINATOR, PARTNER, Region
from storage.regions import list_regions, resolve_region
from storage.text import fold

USAGE = (
    "/chemclust join <region>",
    "/chemclust who",
    "/chemclust coordinator add @person",
    "/chemclust coordinator remove @person",
    "/chemclust channel [#channel | show | off]",
    "/chemclust digest",
    "/chemclust audit [<entity> <id> | @person | since <date>]",
    "/chemclust my data",
    "/chemclust forget me",
    "/chemclust forget @person",
    "/chemclust invite",
    "/chemclust accept <code>",
    "/chemclust workspaces",
    "/chemclust workspace remove <workspace id>",
    "/chemclust help",
)
SUMMARY = (
    "Say which region you represent, see who is who, the audit trail, your data, every command."
)
JOIN_ACTION = "chemclust.join"


def run(ctx: Context, arguments: str) -> Reply:
    verb, _, rest = " ".join(arguments.split()).partition(" ")
    match fold(verb):
        case "" | "help":
            return help_reply(ctx)
        case "join":
            return join(ctx, rest)
        case "who" | "members":
            return who(ctx)
        case "coordinator" | "coordinators":
            return coordinator(ctx, rest)
        case "channel":
            return channel_command(ctx, rest)
        case "digest":
            return digest_reply(ctx)
        case "audit":
            return audit(ctx, rest)
        case "my":
            return my_data(ctx, rest)
        case "forget":
            return forget(ctx, rest)
        case "invite":
            return invite(ctx, rest)
        case "workspaces" | "workspace":
            return workspaces_command(ctx, rest)
    raise CommandError(f"/chemclust has no “{verb}”.", usage="\n".join(USAGE))


def join(ctx: Context, region_query: str) -> Reply:
    if not region_query:
        raise CommandError("Say which region you represent.", usage="/chemclust join <region>")
    with ctx.sessions.begin() as session:
        found = resolve_region(session=session, group_id=ctx.group_id, query=region_query)
        if found.match is None:
            return _region_choice(found.query, found.candidates, found.ambiguous)
        join_region(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            user_id=ctx.identity.user_id,
            region=found.match,
            display_name=ctx.identity.user_name,
            # Kept where the bot serves several workspaces: direct messages go there.
            workspace_id=ctx.identity.workspace_id if ctx.joins_by_invitation else None,
        )
        name = found.match.name
    before = f" (before: {ctx.region_name})" if ctx.region_name and ctx.region_name != name else ""
    return Reply(
        private=True,
        parts=(
            Paragraph(text("You now represent ", Bold(name), f" in the {ctx.group_name}{before}.")),
            Paragraph(text("Your pilot updates and data deliveries count for ", name, ".")),
        ),
        summary=f"You now represent {name}.",
    )


def join_button(ctx: Context, region_key: str) -> Reply:
    with ctx.sessions() as session:
        region = next(
            (
                r
                for r in list_regions(session=session, group_id=ctx.group_id)
                if r.key == region_key
            ),
            None,
        )
    if region is None:
        raise CommandError("That region is no longer in the working group.")
    return join(ctx, region.name)


def _region_choice(query: str, candidates: tuple[Region, ...], ambiguous: bool) -> Reply:
    listed = ", ".join(r.name for r in candidates)
    if ambiguous:
        message = f"“{query}” fits several regions: {listed}. Which one do you represent?"
    elif candidates:
        message = f"I don't know a partner region called “{query}”. Closest: {listed}."
    else:
        message = f"I don't know a partner region called “{query}”."
    parts: list = [Paragraph(text(message))]
    if candidates:
        parts.append(Actions(tuple(Button(r.name, JOIN_ACTION, value=r.key) for r in candidates)))
    parts.append(Paragraph(text("Usage: ", Code("/chemclust join <region>"))))
    return Reply(private=True, parts=tuple(parts), summary=message)


def who(ctx: Context) -> Reply:
    with ctx.sessions() as session:
        regions = list_regions(session=session, group_id=ctx.group_id)
        members = list_members(session=session, group_id=ctx.group_id)
    by_region: dict[int | None, list[RosterEntry]] = {}
    for member in members:
        by_region.setdefault(member.region_id, []).append(member)
    fields = [
        Field(
            region.name,
            _people(by_region[region.id]) if region.id in by_region else text("no one yet"),
        )
        for region in regions
    ]
    coordinators = [m for m in members if m.role == COORDINATOR]
    unassigned = [m for m in by_region.get(None, []) if m.role != COORDINATOR]
    parts: list = [
        Fields(tuple(fields)),
        Paragraph(text(Bold("Coordinators: "), *(_people(coordinators) or text("none yet")))),
    ]
    if unassigned:
        parts.append(Paragraph(text(Bold("No region yet: "), *_people(unassigned))))
    parts.append(
        Paragraph(text("Say which region you represent: ", Code("/chemclust join <region>")))
    )
    return Reply(heading=f"Who is who in the {ctx.group_name}", parts=tuple(parts), private=True)


def _people(members: list[RosterEntry]) -> Text:
    pieces: list = []
    for member in members:
        if pieces:
            pieces.append(", ")
        pieces.append(
            UserRef(member.platform_user_id, member.display_name or member.platform_user_id)
        )
    return tuple(pieces)


def coordinator(ctx: Context, arguments: str) -> Reply:
    usage = "/chemclust coordinator add @person\n/chemclust coordinator remove @person"
    verb, _, target = arguments.partition(" ")
    verb = fold(verb)
    if verb not in {"add", "remove"}:
        raise CommandError("Say whether to add or remove a coordinator.", usage=usage)
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can change who the coordinators are.")
    person = ctx.mentioned(target) if target else None
    if person is None:
        raise CommandError(
            f"“{target}” is not a person I can recognise; mention them with @ "
            "(choose them from the list that opens as you type)."
            if target
            else "Say who, by mentioning them with @.",
            usage=usage,
        )
    if verb == "remove" and person.id == ctx.identity.user_id:
        raise CommandError("You cannot remove yourself; ask another coordinator.", usage=usage)
    if verb == "remove" and person.id in ctx.configured_coordinators:
        raise CommandError(
            f"{person.written} is a coordinator by the bot's settings (CHEMCLUST_COORDINATORS), "
            "so chat cannot change it: ask whoever runs the bot to take them out of that "
            "setting and restart it.",
        )
    with ctx.sessions.begin() as session:
        set_role(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            user_id=person.id,
            role=COORDINATOR if verb == "add" else PARTNER,
            display_name=person.name,
        )
    ref = UserRef(person.id, person.name)
    if verb == "add":
        message = text(ref, " is now a coordinator: they can change deadlines and shared data.")
    else:
        message = text(ref, " is no longer a coordinator.")
    return Reply(private=True, parts=(Paragraph(message),), summary="Coordinators updated.")


def help_reply(ctx: Context) -> Reply:
    parts: list = []
    for command in sorted(ctx.registry.commands.values(), key=lambda c: c.name):
        parts.append(Paragraph(text(Bold(f"/{command.name}"), f"  {command.summary}")))
        parts.append(Paragraph(code_lines(command.usage)))
    who_am_i = ctx.region_name or "no region yet"
    parts.append(
        Paragraph(
            text(
                f"You: {who_am_i}, {ctx.role}. Join a region with ",
                Code("/chemclust join <region>"),
                ".",
            )
        )
    )
    return Reply(heading="ChemClust bot: commands", parts=tuple(parts), private=True)


def register(registry: Registry) -> None:
    registry.add_command("chemclust", run, summary=SUMMARY, usage=USAGE)
    registry.add_action(JOIN_ACTION, join_button)
