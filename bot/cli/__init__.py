"""``chemclust-bot``: one command line, one sub-command per module with its own ``register``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import (
    console,
    db,
    doctor,
    export_audit,
    export_benchmark,
    export_pilots,
    import_practices,
    imports,
    report_pilot,
    run,
    teams_package,
    working_groups,
)
from bot.logs import RedactSecrets
from bot.settings import ConfigurationError
from bot.startup import SlackUnreachable
from storage.db import (
    database_unreachable,
    database_url,
    hidden_password,
    outage_reason,
    url_secrets,
)

SUBCOMMANDS = (
    run,
    console,
    db,
    doctor,
    imports,
    import_practices,
    export_benchmark,
    export_pilots,
    export_audit,
    report_pilot,
    teams_package,
    working_groups,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chemclust-bot",
        description="Chat bot of the ChemClust working group (Slack, Teams, console).",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a sub-command; a set-up that cannot work ends in one line on stderr, no traceback.

    Exit codes: 2 a setting is wrong or missing, 1 the database or Slack cannot be reached,
    130 interrupted.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ConfigurationError as error:
        return _fail(str(error), 2)
    except SlackUnreachable as error:
        return _fail(str(error), 1)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if not database_unreachable(error):
            raise
        where = hidden_password(database_url())
        return _fail(f"cannot reach the database at {where}: {outage_reason(error)}", 1)


def _fail(message: str, code: int) -> int:
    # The environment's secrets may appear in an error's text (a URL echoed back, say).
    secrets = url_secrets(database_url())
    print(f"chemclust-bot: {RedactSecrets(secrets).redact(message)}", file=sys.stderr)
    return code
