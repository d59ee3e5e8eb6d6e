"""The features' command-line tools (``chemclust-bot import benchmark FILE``), built from the
registry: each runs as the local operator in the working group ``--group`` names (the default
group without it), and the file a tool answers with is written where ``--out`` says."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.groups import command_group
from commands.context import Identity
from commands.registry import Registry
from commands.tools import Tool, ToolOutcome

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

GROUP_HELP = "the working group's short name (default: the default group); see `group list`"


def add_tools(
    subcommands: argparse._SubParsersAction,
    registry: Registry,
    *,
    more_topics: Mapping[str, tuple[str, ...]] = {},
) -> None:
    """A sub-command per tool, under its group; a group's help names what its tools work on
    (and ``more_topics``: what the command line's own sub-commands in that group do)."""
    topics: dict[str, list[str]] = {}
    for tool in registry.tools.values():
        topics.setdefault(tool.group.name, []).append(tool.topic)
    for tool in registry.tools.values():
        named = [*topics[tool.group.name], *more_topics.get(tool.group.name, ())]
        group_help = f"{tool.group.help}: {', '.join(named)}"
        group = command_group(subcommands, tool.group.name, help=group_help)
        parser = group.add_parser(tool.name, help=tool.help, description=tool.description)
        tool.arguments(parser)
        if tool.writes:
            parser.add_argument("--out", type=Path, required=True, help=tool.out_help)
        parser.add_argument("--group", metavar="SLUG", help=GROUP_HELP)
        parser.set_defaults(handler=partial(run_tool, tool, registry))


def run_tool(tool: Tool, registry: Registry, args: argparse.Namespace) -> int:
    """Run ``tool``, then write its file and show what it said; exit 1 for an unknown group and
    2 for an --out the tool cannot write, before anything runs."""
    if tool.writes and args.out.suffix.lower() not in tool.writes:
        suffixes = " or ".join(tool.writes)
        return _refuse(f"--out must end in {suffixes}, not {args.out.name}", 2)
    from bot.runtime import start

    runtime = start(log_level="WARNING", registry=registry, platforms=())
    try:
        with runtime.core.sessions() as session:
            group_id, unknown = chosen_group(session, args.group)
        if group_id is None:
            return _refuse(unknown, 1)
        user = getpass.getuser()  # the audit trail records who ran the tool
        ctx = runtime.core.context(
            Identity(platform="console", user_id=user, user_name=user), group_id=group_id
        )
        outcome = tool.run(ctx, args)
    finally:
        runtime.engine.dispose()
    return _show(outcome, args)


def chosen_group(session: Session, slug: str | None) -> tuple[int | None, str]:
    """The id of the group ``--group`` names (the default group without it), or None and the
    one line that refuses an unknown slug, naming the groups there are."""
    from storage.groups import all_groups, default_group, group_by_slug

    group = group_by_slug(session=session, slug=slug) if slug else default_group(session=session)
    if group is not None:
        return group.id, ""
    known = ", ".join(g.slug for g in all_groups(session=session))
    return None, f"There is no working group “{slug}”. The working groups are: {known}."


def _show(outcome: ToolOutcome, args: argparse.Namespace) -> int:
    stream = sys.stderr if outcome.on_stderr else sys.stdout
    if outcome.file is not None and outcome.code == 0:
        out: Path = args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(outcome.file)
        print(f"Wrote {out.resolve()} ({outcome.written})")
    if outcome.reply is not None:
        from bot.console.render import render

        print(render(outcome.reply), file=stream)
    if outcome.refusal:
        print(f"chemclust-bot: {outcome.refusal}", file=stream)
    if outcome.said:
        print(outcome.said, file=stream)
    return outcome.code


def _refuse(line: str, code: int) -> int:
    print(f"chemclust-bot: {line}", file=sys.stderr)
    return code
