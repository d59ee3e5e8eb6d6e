"""``chemclust-bot doctor``: what is wrong with this set-up, one line each, with the fix.

Exit 0 when nothing is a problem (warnings allowed), 1 otherwise; ``--json`` for scripts.
"""

from __future__ import annotations

import argparse
import json

LABELS = {"ok": "ok", "warning": "warning", "problem": "PROBLEM", "skipped": "skipped"}


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "doctor", help="check the database, platforms and reminders; say what to fix"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object for scripts")
    parser.set_defaults(handler=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from bot.checks import PROBLEM
    from bot.checks.doctor import run_checks, summary

    checks = run_checks()
    healthy = not any(check.status == PROBLEM for check in checks)
    if args.json:
        report = {"ok": healthy, "checks": [check.as_dict() for check in checks]}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for check in checks:
            print(f"{LABELS[check.status]:<8} {check.name}: {check.says}")
            if check.fix and check.status != "ok":
                print(f"{'':<8} fix: {check.fix}")
        print(summary(checks))
    return 0 if healthy else 1
