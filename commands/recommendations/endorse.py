"""Endorsing, withdrawing and commenting: partners for their own region, coordinators for any.

``endorse <id> [for <region>]``: one endorsement per region. While a consultation is open or
before one, a region may endorse and withdraw; once it has closed, the record stands.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.recommendations.lookup import recommendation_or_error, split_ref
from commands.recommendations.views import endorsers
from commands.reply import Bold, Code, Paragraph, Reply, text
from storage.models import ADOPTED, Recommendation, Region
from storage.recommendations import add_comment, endorse, withdraw
from storage.regions import resolve_region

ENDORSE_USAGE = "/recommendation endorse <id> [for <region>]"
WITHDRAW_USAGE = "/recommendation withdraw <id> [for <region>]"
COMMENT_USAGE = "/recommendation comment <id> <text>"
MAX_COMMENT = 2000


def _acting_region(ctx: Context, rest: str, *, session: Session, usage: str) -> Region:
    """The region the person speaks for: their own, or the one named after ``for``."""
    keyword, _, typed = rest.partition(" ")
    if rest and (keyword.lower() != "for" or not typed.strip()):
        raise CommandError(
            f"After the id comes “for <region>” or nothing, not “{rest}”.", usage=usage
        )
    if not typed.strip():
        if ctx.region_id is None:
            also = ", or name the region: for <region>" if ctx.is_coordinator else ""
            raise CommandError(
                f"Say which region you represent first: /chemclust join <region>{also}.",
                usage=usage,
            )
        region = session.get(Region, ctx.region_id)
        assert region is not None  # noqa: S101 - the member's region exists
        return region
    found = resolve_region(session=session, group_id=ctx.group_id, query=typed)
    if found.match is None:
        names = ", ".join(r.name for r in found.candidates)
        closest = f" Closest: {names}." if names else ""
        raise CommandError(
            f"I don't know a partner region called “{typed.strip()}”.{closest}", usage=usage
        )
    if found.match.id != ctx.region_id and not ctx.is_coordinator:
        raise NotAllowed(
            f"You represent {ctx.region_name or 'no region yet'}: partners endorse for their own "
            f"region only, not for {found.match.name}."
        )
    return found.match


def _open_for_endorsing(ctx: Context, recommendation: Recommendation) -> None:
    if recommendation.status == ADOPTED:
        raise CommandError(f"{recommendation.ref} is adopted; its endorsements are final.")
    if recommendation.closed(ctx.now):
        raise CommandError(
            f"The consultation on {recommendation.ref} has closed; its endorsements are final."
        )


def endorse_command(ctx: Context, arguments: str) -> Reply:
    return _change(ctx, arguments, endorsing=True, usage=ENDORSE_USAGE)


def withdraw_command(ctx: Context, arguments: str) -> Reply:
    return _change(ctx, arguments, endorsing=False, usage=WITHDRAW_USAGE)


def _change(ctx: Context, arguments: str, *, endorsing: bool, usage: str) -> Reply:
    ref, rest = split_ref(arguments, usage=usage)
    with ctx.sessions.begin() as session:
        recommendation = recommendation_or_error(ctx, ref, session=session, usage=usage)
        region = _acting_region(ctx, rest, session=session, usage=usage)
        _open_for_endorsing(ctx, recommendation)
        shown, title, name = recommendation.ref, recommendation.title, region.name
        if endorsing:
            changed = endorse(
                session=session,
                recommendation_id=recommendation.id,
                region_id=region.id,
                member_id=ctx.member_id,
                now=ctx.now,
            )
        else:
            changed = withdraw(
                session=session, recommendation_id=recommendation.id, region_id=region.id
            )
        session.expire(recommendation)
        everyone = endorsers(recommendation)
    if not changed:
        message = (
            f"{name} has endorsed {shown} already; nothing changed."
            if endorsing
            else f"{name} has not endorsed {shown}; nothing to withdraw."
        )
        return Reply(private=True, parts=(Paragraph(text(message)),), summary=message)
    verb = "endorses" if endorsing else "withdraws its endorsement of"
    return Reply(
        parts=(
            Paragraph(text(Bold(name), f" {verb} {shown} ", Bold(title), ".")),
            Paragraph(text(f"Endorsed by: {everyone}.")),
        ),
        summary=f"{name} {verb} {shown} {title}.",
    )


def comment_command(ctx: Context, arguments: str) -> Reply:
    ref, comment = split_ref(arguments, usage=COMMENT_USAGE)
    if not comment:
        raise CommandError("Write the comment after the id.", usage=COMMENT_USAGE)
    if len(comment) > MAX_COMMENT:
        raise CommandError(
            f"The comment is too long ({len(comment)} characters, max {MAX_COMMENT})."
        )
    if ctx.region_id is None and not ctx.is_coordinator:
        raise NotAllowed("Say which region you represent first: /chemclust join <region>.")
    with ctx.sessions.begin() as session:
        recommendation = recommendation_or_error(ctx, ref, session=session, usage=COMMENT_USAGE)
        if recommendation.status == ADOPTED:
            raise CommandError(f"{recommendation.ref} is adopted; it takes no more comments.")
        add_comment(
            session=session,
            recommendation_id=recommendation.id,
            region_id=ctx.region_id,
            member_id=ctx.member_id,
            author_name=ctx.identity.user_name or ctx.identity.user_id,
            text=comment,
            now=ctx.now,
        )
        shown = recommendation.ref
    who = ctx.region_name or "a coordinator"
    return Reply(
        parts=(
            Paragraph(text(Bold(f"Comment on {shown}"), f" from {who}: ", comment)),
            Paragraph(text("All comments: ", Code(f"/recommendation show {shown}"))),
        ),
        summary=f"Comment on {shown} from {who}.",
    )
