"""``/practice``: the good-practice library — overview, search, one record, add, edit, export."""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.practice import form, search, views
from commands.reply import Attachment, Code, Paragraph, Reply, text
from storage.practice_files import CSV_MIME, XLSX_MIME, practices_csv, practices_xlsx
from storage.practice_search import search_practices
from storage.practices import get_practice, library_overview, list_practices, practices_by_id
from storage.text import fold

SUMMARY = "Search the good practices of the partner regions, read them, add your own."
USAGE = (
    "/practice",
    search.SEARCH_USAGE,
    "/practice show <id>",
    "/practice add",
    form.ADD_USAGE,
    "/practice edit <id>",
    form.EDIT_USAGE,
    "/practice export [<words>] [region:<region>] [theme:<theme>] [pilot:<pilot>]",
    "/practice help",
)
SHOW_USAGE = "/practice show <id>"
EXPORT_USAGE = USAGE[7]


def run(ctx: Context, arguments: str) -> Reply:
    stripped = arguments.strip()
    verb, _, rest = stripped.partition(" ")
    match fold(verb):
        case "":
            return overview(ctx)
        case "help" | "usage":
            return help_reply()
        case "show" | "details":
            return show(ctx, rest, private=False)
        case "add" | "new":
            return form.add(ctx, rest)
        case "edit" | "change":
            return form.edit(ctx, rest)
        case "export":
            return export(ctx, rest)
    return search.run_search(ctx, stripped)


def overview(ctx: Context) -> Reply:
    with ctx.sessions() as session:
        return views.overview(library_overview(session=session, group_id=ctx.group_id))


def show(ctx: Context, typed: str, *, private: bool) -> Reply:
    practice_id = form.parse_id(typed, usage=SHOW_USAGE)
    with ctx.sessions() as session:
        practice = get_practice(session=session, group_id=ctx.group_id, practice_id=practice_id)
        if practice is None:
            raise CommandError(
                f"There is no practice #{practice_id}. Search: /practice <words>", usage=SHOW_USAGE
            )
        return views.record(practice, can_edit=form.may_edit(ctx, practice), private=private)


def details_button(ctx: Context, value: str) -> Reply:
    """The "Details" button of a search result: the whole record, to the person who clicked."""
    return show(ctx, value, private=True)


def export(ctx: Context, typed: str) -> Reply:
    """The library (or what a search finds) as XLSX and CSV, sent privately."""
    with ctx.sessions() as session:
        if typed.strip():
            parsed = search.parse_search(ctx, typed)
            found = search_practices(
                session=session, group_id=ctx.group_id, query=parsed.query, limit=None
            )
            practices = practices_by_id(
                session=session, group_id=ctx.group_id, practice_ids=found.ids
            )
        else:
            practices = list_practices(session=session, group_id=ctx.group_id)
        if not practices:
            raise CommandError("No practice to export: nothing matches.", usage=EXPORT_USAGE)
        stem = f"good-practices-{ctx.now:%Y-%m-%d}"
        files = (
            Attachment(
                f"{stem}.xlsx", practices_xlsx(practices), XLSX_MIME, "Good practices (Excel)"
            ),
            Attachment(f"{stem}.csv", practices_csv(practices), CSV_MIME, "Good practices (CSV)"),
        )
        footnote = views.sample_footnote(practices)
    count = views.plural(len(practices), "practice")
    return Reply(
        private=True,
        parts=(
            Paragraph(
                text(
                    f"{count} as a spreadsheet: ",
                    Code(files[0].filename),
                    " and ",
                    Code(files[1].filename),
                    ".",
                )
            ),
            Paragraph(
                text(
                    "Edit it and a coordinator can load it back with ",
                    Code("chemclust-bot import practices FILE"),
                    ": rows with an ID change that practice, rows without one add a practice.",
                )
            ),
        ),
        files=files,
        footnote=footnote,
        summary=f"{count} exported.",
    )


def help_reply() -> Reply:
    examples = (
        ("/practice", "themes and regions, with how many practices each has"),
        ("/practice training", "ranked search; word forms count: train finds training"),
        ("/practice pilot plant region:limburg", "words and filters together"),
        ('/practice theme:"open innovation" pilot:skills', "filters alone"),
        ("/practice show 8", "the whole record of practice #8"),
        ("/practice add", "add a practice of your region (a form, where forms open)"),
        ("/practice edit 8", "change a practice you added (coordinators: any)"),
        ("/practice export", "the library as XLSX and CSV"),
    )
    parts = [Paragraph(text(Code(example), f"  {meaning}")) for example, meaning in examples]
    parts.append(
        Paragraph(
            text(
                "Where no form opens, add with ",
                Code(form.ADD_USAGE),
                " and change with ",
                Code(form.EDIT_USAGE),
                ". Regions, themes and pilots may be abbreviated; small typos are forgiven.",
            )
        )
    )
    return Reply(heading="/practice: the good-practice library", parts=tuple(parts), private=True)
