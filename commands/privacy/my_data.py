"""``/chemclust my data``: every row the bot holds about the person asking, as files for them."""

from __future__ import annotations

from collections import Counter

from commands.context import Context
from commands.errors import CommandError
from commands.reply import Attachment, Code, Field, Fields, Paragraph, Reply, text
from storage.personal_data import find_person, rows_about
from storage.personal_export import PURPOSES, personal_csv, personal_json

USAGE = "/chemclust my data"


def my_data(ctx: Context, arguments: str) -> Reply:
    if arguments.strip().lower() != "data":
        raise CommandError("Did you mean your data?", usage=USAGE)
    with ctx.sessions() as session:
        person = find_person(
            session=session,
            group_id=ctx.group_id,
            platform=ctx.identity.platform,
            user_id=ctx.identity.user_id,
            names=[ctx.identity.user_name or ""],
        )
        found = list(rows_about(session, person))
    counts = Counter(item.table.name for item in found)
    fields = tuple(
        Field(f"{name} ({count})", text(PURPOSES.get(name, ""))) for name, count in counts.items()
    )
    stamp = ctx.now.strftime("%Y-%m-%d")
    files = (
        Attachment(
            f"my-{ctx.group_slug}-data-{stamp}.json",
            personal_json(person, found, now=ctx.now),
            "application/json",
            "Your data (JSON)",
        ),
        Attachment(
            f"my-{ctx.group_slug}-data-{stamp}.csv",
            personal_csv(found),
            "text/csv",
            "Your data (CSV)",
        ),
    )
    total = len(found)
    return Reply(
        heading="Your data",
        private=True,
        parts=(
            Paragraph(
                text(
                    f"The bot holds {total} record{'s' if total != 1 else ''} about you; "
                    "both files hold all of them (JSON by table, CSV cell by cell)."
                )
            ),
            *((Fields(fields),) if fields else ()),
            Paragraph(text("To have them erased, type ", Code("/chemclust forget me"), ".")),
        ),
        files=files,
        summary=f"Your data: {total} records.",
    )
