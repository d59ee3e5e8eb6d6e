"""``/recommendation``: joint policy recommendations, from a draft to an adopted text."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.recommendations import add, consultation, endorse, export, views
from commands.recommendations.lookup import recommendation_or_error, split_ref
from commands.reply import Code, Paragraph, Reply, code_lines, text
from storage.recommendations import latest_comments, list_recommendations
from storage.text import fold

SHOW_USAGE = "/recommendation show <id>"
USAGE = (
    add.ADD_USAGE.splitlines()[0],
    "/recommendation list",
    SHOW_USAGE,
    endorse.ENDORSE_USAGE,
    endorse.WITHDRAW_USAGE,
    endorse.COMMENT_USAGE,
    consultation.CONSULT_USAGE.splitlines()[0],
    consultation.ADOPT_USAGE,
    "/recommendation export",
    "/recommendation help",
)
SUMMARY = "Joint policy recommendations: draft, endorse, consult, adopt, export."


def run(ctx: Context, arguments: str) -> Reply:
    verb, _, rest = arguments.strip().partition(" ")
    rest = rest.strip()
    match fold(verb):
        case "add" | "new":
            return add.add(ctx, rest)
        case "" | "list" | "ls":
            return listing(ctx, rest)
        case "show":
            return show(ctx, rest)
        case "endorse":
            return endorse.endorse_command(ctx, rest)
        case "withdraw" | "unendorse":
            return endorse.withdraw_command(ctx, rest)
        case "comment":
            return endorse.comment_command(ctx, rest)
        case "consult" | "consultation":
            return consultation.consult(ctx, rest)
        case "adopt":
            return consultation.adopt_command(ctx, rest)
        case "export":
            return export.export(ctx, rest)
        case "help" | "h":
            return help_reply()
    raise CommandError(f"/recommendation has no “{verb}”.", usage="\n".join(USAGE))


def listing(ctx: Context, rest: str) -> Reply:
    if rest:
        raise CommandError(
            f"list takes nothing after it, not “{rest}”.", usage="/recommendation list"
        )
    with ctx.sessions() as session:
        found = list_recommendations(session=session, group_id=ctx.group_id)
        parts = [views.list_line(r, ctx.now, ctx.group_timezone) for r in found]
    if not parts:
        parts = [
            Paragraph(
                text(
                    "No recommendations yet. A coordinator drafts one with ",
                    Code("/recommendation add"),
                    ".",
                )
            )
        ]
    return Reply(
        heading="Joint policy recommendations",
        parts=tuple(parts),
        private=True,
        summary=f"{len(found)} recommendations.",
    )


def show(ctx: Context, rest: str) -> Reply:
    ref, extra = split_ref(rest, usage=SHOW_USAGE)
    if extra:
        raise CommandError(f"Only the id comes after show, not “{extra}”.", usage=SHOW_USAGE)
    with ctx.sessions() as session:
        recommendation = recommendation_or_error(ctx, ref, session=session, usage=SHOW_USAGE)
        comments = latest_comments(session=session, recommendation_id=recommendation.id)
        return views.record(recommendation, comments, now=ctx.now, timezone=ctx.group_timezone)


def help_reply() -> Reply:
    steps = (
        ('/recommendation add "Shared pilot plants" level european | <text>', "coordinators draft"),
        ("/recommendation endorse R1", "your region agrees (withdraw undoes it)"),
        ("/recommendation consult R1 until 15 Jan 17:00", "regions not endorsing are reminded"),
        ("/recommendation adopt R1", "coordinators, once the consultation has closed"),
        ("/recommendation export", "adopted texts with their endorsing regions: Word and CSV"),
    )
    parts = [Paragraph(text(Code(example), f"  {meaning}")) for example, meaning in steps]
    parts.append(Paragraph(text("Usage:\n", *code_lines(USAGE))))
    return Reply(
        heading="/recommendation: joint policy recommendations", parts=tuple(parts), private=True
    )
