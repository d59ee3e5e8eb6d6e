"""``/pilot export``: every update as a workbook (one sheet per pilot) and a CSV."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from commands import offload
from commands.context import Context
from commands.pilots.lookup import pilot_or_error
from commands.pilots.parse import STATUS_LABELS
from commands.pilots.views import author_label, counted, region_label
from commands.reply import Attachment, Bold, Paragraph, Reply, text
from storage.models import PilotUpdate
from storage.pilot_export import ExportRow, Sheet, csv_bytes, workbook_bytes
from storage.pilot_updates import recent_updates
from storage.pilots import list_pilots

EXPORT_USAGE = "/pilot export [<pilot>]"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_row(update: PilotUpdate, zone: ZoneInfo) -> ExportRow:
    milestone = update.milestone
    return ExportRow(
        posted_at=update.posted_at.astimezone(zone).replace(tzinfo=None),
        region=region_label(update),
        author=author_label(update),
        status=STATUS_LABELS.get(update.status or "", ""),
        milestone=f"{milestone.label} {milestone.title}" if milestone else "",
        text=update.text,
        link=update.permalink or "",
    )


def export(ctx: Context, query: str) -> Reply:
    zone = ZoneInfo(ctx.group_timezone)
    with ctx.sessions() as session:
        if query.strip():
            pilots = [
                pilot_or_error(
                    session=session, group_id=ctx.group_id, query=query, usage=EXPORT_USAGE
                )
            ]
        else:
            pilots = list_pilots(session=session, group_id=ctx.group_id)
        sheets = [
            Sheet(
                pilot.name,
                [
                    export_row(update, zone)
                    for update in recent_updates(
                        session=session,
                        group_id=ctx.group_id,
                        pilot_id=pilot.id,
                        newest_first=False,
                    )
                ],
            )
            for pilot in pilots
        ]
    count = sum(len(sheet.rows) for sheet in sheets)
    day = ctx.now.astimezone(zone).strftime("%Y-%m-%d")
    scope = f"-{pilots[0].key}" if query.strip() else ""
    name = f"{ctx.group_slug}-pilot-updates{scope}-{day}"
    what = pilots[0].name if query.strip() else "all pilot actions"
    return Reply(
        private=True,
        parts=(
            Paragraph(
                text(
                    "Pilot updates of ",
                    Bold(what),
                    f": {counted(count, 'update')}, one sheet per pilot, "
                    f"times in {ctx.group_timezone}. Removed updates are left out.",
                )
            ),
        ),
        files=(
            Attachment(
                f"{name}.xlsx",
                offload.run_paced(workbook_bytes, sheets, timezone=ctx.group_timezone),
                XLSX,
                "Pilot updates (Excel)",
            ),
            Attachment(
                f"{name}.csv",
                csv_bytes(sheets, timezone=ctx.group_timezone),
                "text/csv",
                "Pilot updates (CSV)",
            ),
        ),
        summary=f"Pilot updates export: {count} updates.",
    )
