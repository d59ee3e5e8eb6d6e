"""``/recommendation export``: the adopted recommendations as a Word document and a CSV.

python-docx is imported when a document is written, never at start-up.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from commands.context import Context
from commands.errors import CommandError
from commands.recommendations.views import about, endorsers
from commands.reply import Attachment, Paragraph, Reply, text
from storage.models import ADOPTED, Recommendation
from storage.recommendations import list_recommendations
from storage.regions import list_regions
from storage.tables_export import csv_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_HEADER = (
    "Id",
    "Title",
    "Level",
    "Pilot",
    "Theme",
    "Adopted",
    "Endorsed by",
    "Endorsements",
    "Text",
)


def _day(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%d %b %Y") if value else ""


def document_bytes(
    recommendations: list[Recommendation], *, group: str, regions: int, zone: ZoneInfo, day: str
) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = f"Joint policy recommendations of {group}"
    document.add_heading("Joint policy recommendations", level=0)
    document.add_paragraph(f"{group}. Adopted recommendations as of {day}.")
    for level, heading in (("european", "At European level"), ("regional", "At regional level")):
        chosen = [r for r in recommendations if r.level == level]
        if not chosen:
            continue
        document.add_heading(heading, level=1)
        for recommendation in chosen:
            document.add_heading(f"{recommendation.ref} {recommendation.title}", level=2)
            document.add_paragraph(recommendation.text)
            facts = document.add_paragraph()
            for label, value in (
                ("Scope", about(recommendation)),
                ("Adopted", _day(recommendation.adopted_at, zone)),
                (
                    "Endorsed by",
                    f"{endorsers(recommendation)} "
                    f"({len(recommendation.endorsements)} of {regions} regions)",
                ),
            ):
                facts.add_run(f"{label}: ").bold = True
                facts.add_run(value + "\n")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def export(ctx: Context, arguments: str) -> Reply:
    if arguments.strip():
        raise CommandError(
            f"export takes nothing after it, not “{arguments.strip()}”.",
            usage="/recommendation export",
        )
    zone = ZoneInfo(ctx.group_timezone)
    with ctx.sessions() as session:
        adopted = list_recommendations(session=session, group_id=ctx.group_id, status=ADOPTED)
        regions = len(list_regions(session=session, group_id=ctx.group_id))
        if not adopted:
            raise CommandError(
                "No recommendation has been adopted yet: there is nothing to export. "
                "See /recommendation list."
            )
        day = ctx.now.astimezone(zone).strftime("%Y-%m-%d")
        content = document_bytes(adopted, group=ctx.group_name, regions=regions, zone=zone, day=day)
        rows = [
            (
                r.ref,
                r.title,
                r.level,
                r.pilot.name if r.pilot else "",
                r.theme,
                _day(r.adopted_at, zone),
                endorsers(r),
                len(r.endorsements),
                r.text,
            )
            for r in adopted
        ]
    name = f"{ctx.group_slug}-recommendations-{day}"
    count = len(adopted)
    message = (
        f"{count} adopted recommendation{'' if count == 1 else 's'}, with their endorsing regions."
    )
    return Reply(
        private=True,
        parts=(Paragraph(text(message)),),
        files=(
            Attachment(f"{name}.docx", content, DOCX, "Adopted recommendations (Word)"),
            Attachment(
                f"{name}.csv",
                csv_bytes(CSV_HEADER, rows),
                "text/csv",
                "Adopted recommendations (CSV)",
            ),
        ),
        summary=message,
    )
