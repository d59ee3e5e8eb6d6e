"""Replies that show the good-practice library: overview, search results, one whole record."""

from __future__ import annotations

from collections.abc import Sequence

from commands.reply import (
    Bold,
    Button,
    Code,
    Column,
    Field,
    Fields,
    Link,
    Paragraph,
    Reply,
    Table,
    Text,
    UserRef,
    text,
)
from storage.models import Practice
from storage.practices import LibraryOverview

DETAILS_ACTION = "practice.details"
SAMPLE_NOTE = (
    "Sample records: the seeded practices draw on public facts about real institutions, but "
    "their wording and figures are illustrative, not the official ChemClust inventory."
)
# The long text fields of a record, in the order a reader wants them.
SECTIONS = (
    ("summary", "Summary"),
    ("description", "Description"),
    ("resources_needed", "Resources needed"),
    ("evidence_of_success", "Evidence of success"),
    ("difficulties_met", "Difficulties met"),
    ("potential_for_transfer", "Potential for transfer"),
)


def sample_footnote(practices: Sequence[Practice]) -> Text | None:
    return text(SAMPLE_NOTE) if any(p.is_sample for p in practices) else None


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def overview(library: LibraryOverview) -> Reply:
    if library.total == 0:
        return Reply(
            private=True,
            parts=(
                Paragraph(
                    text("The library has no practices yet. Add one: ", Code("/practice add"), ".")
                ),
            ),
        )
    with_practices = sum(1 for _, count in library.regions if count)
    theme_rows = [
        (name, str(count), str(library.tagged_themes.get(name, 0)))
        for name, count in library.main_themes.items()
    ]
    theme_rows.append(("All practices", str(library.total), ""))
    region_rows = [(region.name, str(count)) for region, count in library.regions]
    parts = (
        Paragraph(
            text(
                f"{plural(library.total, 'good practice')} from {with_practices} partner regions. "
                "Search: ",
                Code("/practice <words>"),
                ", narrowed with ",
                Code("region:"),
                ", ",
                Code("theme:"),
                " or ",
                Code("pilot:"),
                ".",
            )
        ),
        Paragraph(text(Bold("Themes"))),
        Table(
            (Column("Theme"), Column("Main", "right"), Column("Tagged", "right")), tuple(theme_rows)
        ),
        Paragraph(
            text(
                "Main: each practice counts once, under its main (first-listed) theme, so these "
                f"add up to the library's {library.total}. Tagged: every practice that carries "
                "the theme, main or not."
            )
        ),
        Paragraph(text(Bold("Regions"))),
        Table((Column("Region"), Column("Practices", "right")), tuple(region_rows)),
        Paragraph(
            text(
                "A whole record: ",
                Code("/practice show <id>"),
                ". Add yours: ",
                Code("/practice add"),
                ". Spreadsheet: ",
                Code("/practice export"),
                ".",
            )
        ),
    )
    footnote = None
    if library.samples:
        footnote = text(
            f"{library.samples} of the {library.total} records are samples. ", SAMPLE_NOTE
        )
    return Reply(
        heading="Good-practice library",
        parts=parts,
        footnote=footnote,
        summary=f"Good-practice library: {plural(library.total, 'practice')} by theme and region.",
    )


def result_item(practice: Practice, rank: int | None = None) -> Paragraph:
    """One search result: title, region, themes and summary, with a Details button."""
    title = practice.title if rank is None else f"{rank}. {practice.title}"
    return Paragraph(
        text(
            Bold(title),
            f"  #{practice.id}\n",
            practice.region.name,
            " · ",
            ", ".join(practice.theme_names),
            "\n",
            practice.summary,
        ),
        button=Button("Details", DETAILS_ACTION, value=str(practice.id)),
    )


def record(practice: Practice, *, can_edit: bool, private: bool) -> Reply:
    """The whole record of one practice."""
    facts = [
        Field("Region", text(practice.region.name)),
        Field("Themes", text(", ".join(practice.theme_names))),
        Field("Pilot actions", text(", ".join(p.name for p in practice.pilots) or "–")),
        Field("Category", text(practice.category or "–")),
        Field("Organisation", text(practice.organisation or "–")),
        Field("Started", text(str(practice.year) if practice.year else "–")),
        Field("Contact", text(practice.contact or "–")),
        Field("Link", text(Link(practice.link, practice.link)) if practice.link else text("–")),
        Field("Record", _provenance(practice)),
    ]
    parts: list = [Fields(tuple(facts))]
    for name, label in SECTIONS:
        value = getattr(practice, name)
        if value:
            parts.append(Paragraph(text(Bold(label), "\n", value)))
    if can_edit:
        parts.append(Paragraph(text("Change it: ", Code(f"/practice edit {practice.id}"))))
    return Reply(
        heading=practice.title,
        parts=tuple(parts),
        footnote=sample_footnote([practice]),
        private=private,
        summary=f"Good practice #{practice.id}: {practice.title} ({practice.region.name}).",
    )


def _provenance(practice: Practice) -> Text:
    number = f"#{practice.id}"
    if practice.is_sample:
        return text(number, ", sample record")
    author = practice.created_by
    if author is None:
        return text(number, ", imported")
    return text(number, ", added by ", UserRef(author.platform_user_id, author.display_name or ""))
