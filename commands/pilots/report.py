"""``/pilot report <pilot> [from <date>] [to <date>]``: the implementation report, in Word."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.context import Context
from commands.errors import CommandError
from commands.numbers import refuse_foreign_digits
from commands.pilots.lookup import pilot_or_error
from commands.pilots.report_data import Period, read_report
from commands.pilots.report_document import period_text, report_docx
from commands.pilots.views import counted
from commands.reply import Attachment, Bold, Code, Paragraph, Reply, text

REPORT_USAGE = "/pilot report <pilot> [from <date>] [to <date>]"
REPORT_EXAMPLE = "e.g. /pilot report skills from 1 March 2011 to 31 Dec 2012"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CLAUSE = re.compile(r"\b(from|to)\b", re.IGNORECASE)


def split_period(arguments: str) -> tuple[str, dict[str, str]]:
    """``skills from 1 March 2011 to 2012-12-31`` -> ``("skills", {"from": …, "to": …})``."""
    pieces = _CLAUSE.split(arguments)
    pilot, clauses = pieces[0].strip(), {}
    for keyword, value in zip(pieces[1::2], pieces[2::2], strict=True):
        word = keyword.lower()
        if word in clauses:
            raise CommandError(f"“{word}” is given twice.", usage=REPORT_USAGE)
        if not value.strip():
            raise CommandError(f"Say which day comes after “{word}”.", usage=REPORT_USAGE)
        clauses[word] = value.strip()
    return pilot, clauses


def read_day(typed: str, *, now: datetime, timezone: str, last: bool) -> date:
    """A day as people write it (``1 March 2011``, ``2011-03-01``, ``March 2011``), day before
    month; a month alone means its first day, or its last for ``to``."""
    import dateparser

    refuse_foreign_digits(typed, what="dates", example="1 March 2011", usage=REPORT_USAGE)
    parsed = dateparser.parse(
        typed,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None),
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "last" if last else "first",
        },
    )
    if parsed is None or (typed.strip().isdigit() and len(typed.strip()) < 4):
        raise CommandError(
            f"I cannot read “{typed}” as a day.", usage=f"{REPORT_USAGE}\n{REPORT_EXAMPLE}"
        )
    return parsed.date()


def report(ctx: Context, arguments: str) -> Reply:
    query, clauses = split_period(arguments.strip())
    if not query:
        raise CommandError("Say which pilot.", usage=f"{REPORT_USAGE}\n{REPORT_EXAMPLE}")
    today = ctx.now.astimezone(ZoneInfo(ctx.group_timezone)).date()
    read = {
        word: read_day(value, now=ctx.now, timezone=ctx.group_timezone, last=word == "to")
        for word, value in clauses.items()
    }
    period = Period(read.get("from"), read.get("to"))
    if period.first and period.first > today:
        raise CommandError(
            f"The period starts in the future ({period.first:%d %b %Y}): nothing to report yet.",
            usage=REPORT_USAGE,
        )
    if period.first and period.last and period.first > period.last:
        raise CommandError(
            f"The period ends ({period.last:%d %b %Y}) before it starts ({period.first:%d %b %Y}).",
            usage=REPORT_USAGE,
        )
    with ctx.sessions() as session:
        pilot = pilot_or_error(
            session=session, group_id=ctx.group_id, query=query, usage=REPORT_USAGE
        )
        data = read_report(
            session=session,
            group_id=ctx.group_id,
            pilot=pilot,
            period=period,
            now=ctx.now,
            tz=ctx.group_timezone,
        )
    content = report_docx(data)
    done, overdue = data.milestone_counts
    parts = [
        Paragraph(
            text(
                "Implementation report of ",
                Bold(data.pilot),
                f", {period_text(data)}: {counted(data.update_count, 'update')}, "
                f"{counted(len(data.milestones), 'milestone')} ({done} done, {overdue} overdue), "
                f"{counted(len(data.events), 'workshop or seminar')}, "
                f"{counted(len(data.practices), 'linked practice')}. "
                "A Word document to edit further; update its table of contents in Word.",
            )
        )
    ]
    if not ctx.surface.files:
        parts.append(
            Paragraph(
                text(
                    "Files cannot be sent here: write it from the command line with ",
                    Code(f"chemclust-bot report pilot {data.pilot_key} --out report.docx"),
                    ".",
                )
            )
        )
    footnote = (
        text("Sample practices are illustrative, not records of the project; marked so.")
        if data.has_sample
        else None
    )
    return Reply(
        private=True,
        parts=tuple(parts),
        footnote=footnote,
        files=(
            Attachment(
                f"{ctx.group_slug}-report-{data.pilot_key}-{today:%Y-%m-%d}.docx",
                content,
                DOCX,
                f"Implementation report: {data.pilot}",
            ),
        ),
        summary=f"Implementation report of {data.pilot}: {data.update_count} updates.",
    )
