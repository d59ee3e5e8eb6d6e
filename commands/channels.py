"""Refusing, at once, to set up work in a channel the bot cannot reach.

Reminders, the digest and linked pilot channels all need the bot in the channel; without it
every later post would fail ("not_in_channel"). Better to say so when the coordinator asks.
"""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.surface import Reach


def require_reach(
    ctx: Context, channel_id: str | None, *, posting: str = "", hearing: str = ""
) -> None:
    """Refuse when the bot cannot post ``posting`` in the channel, or cannot hear what
    ``hearing`` needs it to read there. Channels the platform will not tell about pass."""
    if not channel_id:
        return
    reach = ctx.surface.reach(channel_id)
    here = "this channel" if channel_id == ctx.identity.channel_id else "that channel"
    if hearing and reach in (Reach.OUTSIDE, Reach.POSTS):
        problem = f"I am not a member of {here}, so I would not see {hearing}."
    elif posting and reach is Reach.OUTSIDE:
        problem = f"I am not a member of {here}, so I could not post {posting} there."
    else:
        return
    hint = f" {ctx.surface.invite_hint}" if ctx.surface.invite_hint else ""
    raise CommandError(f"{problem}{hint} Then try again; nothing was saved.")


def conversation_here(ctx: Context) -> dict | None:
    """The channel the command was typed in, as reminder rows address it; outside one, the
    surface's own channel where it has one (the console), else None."""
    identity = ctx.identity
    if not identity.channel_id:
        home = ctx.surface.home_channel
        return {"channel": home} if home else None
    conversation = {"channel": identity.channel_id}
    if identity.workspace_id:
        conversation["workspace"] = identity.workspace_id
    return conversation
