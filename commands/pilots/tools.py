"""The pilot actions' command-line tools: ``export pilots --out FILE`` and ``report pilot
<pilot> --out FILE.docx``: the files ``/pilot export`` and ``/pilot report`` send in chat."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from commands.context import Context
from commands.failures import failure_reply
from commands.reply import Reply
from commands.tools import EXPORT, REPORT, Tool, ToolOutcome


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pilot", default="", help="only this pilot, e.g. skills")


def export_pilots(ctx: Context, args: argparse.Namespace) -> ToolOutcome:
    from commands.pilots.export import export

    return _file(lambda: export(ctx, args.pilot.strip()), args.out.suffix.lower(), "export")


def report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pilot", help="the pilot, e.g. skills")
    parser.add_argument("--from", dest="first", default="", help="first day, e.g. 2011-03-01")
    parser.add_argument("--to", dest="last", default="", help="last day, e.g. 2012-12-31")


def report_pilot(ctx: Context, args: argparse.Namespace) -> ToolOutcome:
    from commands.pilots.report import report

    period = "".join(
        f" {word} {value}" for word, value in (("from", args.first), ("to", args.last)) if value
    )
    return _file(lambda: report(ctx, f"{args.pilot}{period}"), ".docx", "report")


def _file(answer: Callable[[], Reply], suffix: str, verb: str) -> ToolOutcome:
    """The reply's ``suffix`` file, or the answer people get in chat for the same words when
    there is none (their mistake, the database away, or a bug's error id)."""
    try:
        reply = answer()
    except Exception as error:
        failed = failure_reply(error, what=f"chemclust-bot {verb} pilot")
        return ToolOutcome(code=2, reply=failed, on_stderr=True)
    attachment = next(f for f in reply.files if f.filename.endswith(suffix))
    return ToolOutcome(file=attachment.content, written=reply.summary)


TOOLS = (
    Tool(
        EXPORT,
        "pilots",
        help="pilot updates: an Excel workbook (one sheet per pilot) or a CSV",
        topic="pilot updates",
        arguments=export_arguments,
        run=export_pilots,
        writes=(".xlsx", ".csv"),
        out_help="the file to write: NAME.xlsx or NAME.csv",
    ),
    Tool(
        REPORT,
        "pilot",
        help="a pilot action's implementation report (Word)",
        topic="a pilot action's implementation report",
        arguments=report_arguments,
        run=report_pilot,
        writes=(".docx",),
        out_help="the file to write: NAME.docx",
    ),
)
