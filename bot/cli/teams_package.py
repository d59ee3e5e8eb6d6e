"""``chemclust-bot teams-package``: the Teams app package to side-load or hand to an admin."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.settings import ConfigurationError, Settings


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "teams-package", help="build the Teams app package (manifest and icons) as a zip"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("chemclust-teams.zip"), help="where to write the zip"
    )
    parser.add_argument("--app-id", help="the Azure Bot's app id (default: $TEAMS_APP_ID)")
    parser.set_defaults(handler=_package)


def _package(args: argparse.Namespace) -> int:
    from bot.features import load_registry
    from bot.teams.manifest import PackageError, package

    settings = Settings.from_env()
    app_id = args.app_id or settings.teams_app_id
    try:
        data = package(app_id, load_registry(settings.features), website=settings.public_url)
    except PackageError as error:
        raise ConfigurationError(str(error)) from error
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"Wrote {args.out} ({len(data):,} bytes) for bot {app_id}.")
    return 0
