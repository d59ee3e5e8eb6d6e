"""``/pilot``: log progress, link a channel, milestones, status and the export."""

from __future__ import annotations

from commands.channels import require_reach
from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.pilots import export, log, milestones, report, status
from commands.pilots.lookup import pilot_or_error
from commands.reply import Bold, Code, Paragraph, Reply, Text, code_lines, text
from commands.surface import Surface
from storage.pilot_channels import LinkedElsewhere, link_channel, linked_pilot, unlink_channel
from storage.text import fold

LINK_USAGE = "/pilot link <pilot>"
USAGE = (
    "/pilot status [<pilot>]",
    log.LOG_USAGE,
    LINK_USAGE,
    "/pilot unlink",
    *milestones.USAGE,
    export.EXPORT_USAGE,
    report.REPORT_USAGE,
    "/pilot help",
)
SUMMARY = "Pilot-action progress: log updates, milestones, status, export, the report."


def run(ctx: Context, arguments: str) -> Reply:
    verb, _, rest = arguments.strip().partition(" ")
    rest = rest.strip()
    match fold(verb):
        case "" | "status":
            return status.pilot_status(ctx, rest) if rest else status.overview(ctx)
        case "log" | "update":
            return log.log_command(ctx, rest)
        case "link":
            return link(ctx, rest)
        case "unlink":
            return unlink(ctx)
        case "milestone":
            return milestones.run(ctx, rest)
        case "milestones":
            return milestones.listing(ctx, rest)
        case "export":
            return export.export(ctx, rest)
        case "report":
            return report.report(ctx, rest)
        case "help" | "h":
            return help_reply()
    raise CommandError(f"/pilot has no “{verb}”.", usage="\n".join(USAGE))


def link(ctx: Context, query: str) -> Reply:
    channel_id = ctx.identity.whole_channel_id
    if not query:
        if not channel_id:
            raise CommandError("Run this in the channel to link.", usage=LINK_USAGE)
        with ctx.sessions() as session:
            pilot = linked_pilot(
                session=session,
                group_id=ctx.group_id,
                platform=ctx.identity.platform,
                channel_id=channel_id,
            )
        if pilot is None:
            raise CommandError(
                "This channel is not linked to a pilot. Say which.", usage=LINK_USAGE
            )
        return Reply(
            private=True,
            parts=(Paragraph(text("This channel is linked to ", Bold(pilot.name), ".")),),
        )
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can link a channel to a pilot.")
    if not channel_id:
        raise CommandError("Run this in the channel to link.", usage=LINK_USAGE)
    require_reach(ctx, channel_id, hearing="the updates written here")
    with ctx.sessions.begin() as session:
        pilot = pilot_or_error(
            session=session, group_id=ctx.group_id, query=query, usage=LINK_USAGE
        )
        try:
            before = link_channel(
                session=session,
                group_id=ctx.group_id,
                platform=ctx.identity.platform,
                channel_id=channel_id,
                pilot=pilot,
                linked_by=ctx.identity.user_id,
            )
        except LinkedElsewhere:
            raise CommandError(
                "This channel is shared with another working group, whose pilot updates are "
                "logged here; it cannot be linked to one of yours too. Link a channel of your "
                "own group, or write updates as “update <pilot>: …” anywhere."
            ) from None
        name, key, before_name = pilot.name, pilot.key, before.name if before else None
    was = f" (it was linked to {before_name})" if before_name else ""
    return Reply(
        parts=(
            Paragraph(text("This channel is now linked to ", Bold(name), f"{was}.")),
            Paragraph(
                text(
                    "Messages here that start with ",
                    Code("update:"),
                    f" are logged as {name} updates; elsewhere write ",
                    Code(f"update {key}: …"),
                    ". Replies in threads are not logged.",
                )
            ),
            Paragraph(_how_the_bot_reads(ctx.surface)),
        ),
        summary=f"Channel linked to {name}.",
    )


def _how_the_bot_reads(surface: Surface) -> Text:
    if not surface.hears_channel:
        written = f"{surface.bot_mention} update: …"
        return text("Here the bot reads only messages that mention it: ", Code(written))
    if surface.invite_command:
        return text("The bot must be in the channel to read it: ", Code(surface.invite_command))
    return text("The bot must be in the channel to read it.")


def unlink(ctx: Context) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can unlink a channel.")
    channel_id = ctx.identity.whole_channel_id
    if not channel_id:
        raise CommandError("Run this in the linked channel.", usage="/pilot unlink")
    with ctx.sessions.begin() as session:
        pilot = unlink_channel(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            channel_id=channel_id,
        )
        name = pilot.name if pilot else None
    if name is None:
        raise CommandError("This channel is not linked to a pilot.")
    message = f"This channel is no longer linked to {name}. Updates already logged stay."
    return Reply(parts=(Paragraph(text(message)),), summary=message)


def help_reply() -> Reply:
    examples = (
        ("update skills: Teacher training held in Warsaw [on track]", "log by writing a message"),
        ("/pilot status", "the three pilots at a glance"),
        ("/pilot status skills", "latest update per region, milestones, last ten updates"),
        ('/pilot milestone add skills "Curriculum draft" due 15 March', "coordinators"),
        ("/pilot export", "Excel workbook and CSV for the implementation report"),
        ("/pilot report skills", "the implementation report as a Word document"),
    )
    parts = [Paragraph(text(Code(example), f"  {meaning}")) for example, meaning in examples]
    parts.append(
        Paragraph(
            text(
                "Tags: ",
                Code("[on track]"),
                " ",
                Code("[delayed]"),
                " ",
                Code("[done]"),
                " and a milestone such as ",
                Code("[M2]"),
                ". In a channel linked with ",
                Code(LINK_USAGE),
                " a message starting with ",
                Code("update:"),
                " is enough. On any message, the shortcut “Log as pilot update” logs it too.",
            )
        )
    )
    parts.append(Paragraph(text("Usage:\n", *code_lines(USAGE))))
    return Reply(heading="/pilot: pilot-action progress", parts=tuple(parts), private=True)
