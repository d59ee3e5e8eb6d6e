"""``chemclust-bot group list`` and ``group link``: the working groups this bot serves, and
the operator's link of a group's first workspace (the others join by invitation in chat)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.groups import command_group


def register(subcommands: argparse._SubParsersAction) -> None:
    groups = command_group(subcommands, "group", help="the working groups this bot serves")
    listing = groups.add_parser("list", help="every working group with its workspaces")
    listing.set_defaults(handler=_list)
    create = groups.add_parser(
        "create",
        help="create a working group from a file: regions, pilot actions, indicators "
        "(see README, Creating a working group)",
    )
    create.add_argument("--config", required=True, metavar="FILE.yml", help="the group's file")
    create.set_defaults(handler=_create)
    link = groups.add_parser(
        "link",
        help="link a workspace to a group: its first one, when the bot serves several "
        "workspaces (the others join with /chemclust invite and accept)",
    )
    link.add_argument("workspace", help="the Slack team id (T…) or Teams tenant id")
    link.add_argument("--group", help="the group's short name (default: the default group)")
    link.add_argument("--platform", default="slack", help="slack (default) or teams")
    link.set_defaults(handler=_link)


def _list(args: argparse.Namespace) -> int:
    from bot.runtime import start
    from storage.groups import all_groups
    from storage.workspaces import group_workspaces

    runtime = start(log_level="WARNING")
    try:
        with runtime.core.sessions() as session:
            for group in all_groups(session=session):
                linked = group_workspaces(session=session, group_id=group.id)
                names = ", ".join(f"{w.platform}:{w.external_id}" for w in linked) or "none"
                default = " (default)" if group.is_default else ""
                print(f"{group.slug}{default}: {group.name}, {group.timezone}; workspaces: {names}")
    finally:
        runtime.engine.dispose()
    return 0


def _link(args: argparse.Namespace) -> int:
    from bot.runtime import start
    from storage.groups import default_group, group_by_slug
    from storage.workspaces import link_workspace, linked_group

    runtime = start(log_level="WARNING")
    try:
        with runtime.core.sessions.begin() as session:
            group = (
                group_by_slug(session=session, slug=args.group)
                if args.group
                else default_group(session=session)
            )
            if group is None:
                print(f"chemclust-bot: no working group {args.group!r}", file=sys.stderr)
                return 2
            current = linked_group(
                session=session, platform=args.platform, external_id=args.workspace
            )
            if current is not None:
                print(
                    f"chemclust-bot: {args.workspace} already belongs to {current.slug}",
                    file=sys.stderr,
                )
                return 2
            link_workspace(
                session=session,
                group_id=group.id,
                platform=args.platform,
                external_id=args.workspace,
            )
            print(f"Linked {args.platform} workspace {args.workspace} to {group.slug}.")
    finally:
        runtime.engine.dispose()
    return 0


def _create(args: argparse.Namespace) -> int:
    from bot.runtime import start
    from storage.group_creation import create_group
    from storage.group_file import read_group_file
    from storage.groups import group_by_slug

    try:
        with open(args.config, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"chemclust-bot: cannot read {args.config}: {error}", file=sys.stderr)
        return 2
    spec, problems, slug_line = read_group_file(text)
    runtime = start(log_level="WARNING")
    try:
        with runtime.core.sessions.begin() as session:
            if spec is not None and group_by_slug(session=session, slug=spec.slug) is not None:
                problems = [f"line {slug_line}: the slug {spec.slug!r} is taken; choose another"]
            if problems or spec is None:
                print(
                    f"chemclust-bot: {args.config} was not loaded; nothing was written:",
                    file=sys.stderr,
                )
                for problem in problems:
                    print(f"  {args.config}, {problem}", file=sys.stderr)
                return 1
            group = create_group(session=session, spec=spec)
            print(
                f"Created working group {group.slug} ({group.name}): {len(spec.regions)} regions, "
                f"{len(spec.pilots)} pilot actions, {len(spec.indicators)} indicators. "
                "Link its first workspace with "
                f"`chemclust-bot group link <team id> --group {group.slug}`."
            )
    finally:
        runtime.engine.dispose()
    return 0
