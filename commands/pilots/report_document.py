"""The implementation report as a Word document a coordinator goes on editing.

Sections use Word's own heading styles (Title, Heading 1, Heading 2), so the navigation pane
and the table of contents (a TOC field Word fills in when asked to update fields) work.
python-docx is imported here, when a report is written, never at start-up.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from commands.pilots.report_chart import updates_per_month
from commands.pilots.report_data import ReportData

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

SAMPLE_NOTE = (
    "Practices marked “sample” are an illustrative sample shipped with the bot, "
    "not records of the project."
)
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
NONE = "—"


def day(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else NONE


def period_text(data: ReportData) -> str:
    first = data.period.first or data.first_update
    last = data.period.last or data.made_on
    return f"{day(first)} to {day(last)}" if first else f"up to {day(last)}"


def report_docx(data: ReportData) -> bytes:
    from docx import Document as new_document

    document = new_document()
    document.core_properties.title = f"Implementation report: {data.pilot}"
    document.core_properties.subject = "ChemClust pilot action"
    _title_page(document, data)
    _summary(document, data)
    _milestones(document, data)
    _events(document, data)
    _updates(document, data)
    _practices(document, data)
    _chart(document, data)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _title_page(document: Document, data: ReportData) -> None:
    from docx.enum.text import WD_BREAK

    document.add_heading(f"Implementation report: {data.pilot}", level=0)
    document.add_paragraph("ChemClust pilot action")
    facts = document.add_paragraph()
    for label, value in (
        ("Pilot action", f"{data.pilot} ({data.pilot_key})"),
        ("Regions", ", ".join(data.regions) or NONE),
        ("Period", period_text(data)),
        ("Prepared", f"{day(data.made_on)}; dates in {data.timezone}"),
    ):
        facts.add_run(f"{label}: ").bold = True
        facts.add_run(value + "\n")
    if data.description:
        document.add_paragraph(data.description)
    if data.has_sample:
        document.add_paragraph().add_run(SAMPLE_NOTE).italic = True
    document.add_heading("Contents", level=1)
    _field(document.add_paragraph(), TOC_INSTRUCTION, "Update this field to list the sections.")
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _summary(document: Document, data: ReportData) -> None:
    document.add_heading("Summary by region", level=1)
    done, overdue = data.milestone_counts
    document.add_paragraph(
        f"{data.update_count} updates from {len(data.summary)} regions; "
        f"milestones: {done} done, {overdue} overdue, {len(data.milestones)} in all."
    )
    rows = [
        (
            row.region,
            str(row.updates),
            day(row.last_update),
            row.milestones or NONE,
            row.status or NONE,
        )
        for row in data.summary
    ]
    rows.append(
        (
            "All regions",
            str(data.update_count),
            day(max((r.last_update for r in data.summary if r.last_update), default=None)),
            f"{done} done, {overdue} overdue of {len(data.milestones)}",
            "",
        )
    )
    _table(
        document,
        ("Region", "Updates", "Last update", "Milestones", "Latest status"),
        rows,
    )


def _milestones(document: Document, data: ReportData) -> None:
    document.add_heading("Milestones", level=1)
    if not data.milestones:
        document.add_paragraph("No milestones were set for this pilot.")
        return
    _table(
        document,
        ("Milestone", "Title", "Due", "Done", "Status"),
        [(m.label, m.title, day(m.due), day(m.done), m.state) for m in data.milestones],
    )


def _events(document: Document, data: ReportData) -> None:
    document.add_heading("Workshops and seminars", level=1)
    if not data.events:
        document.add_paragraph("No workshops or seminars in this period.")
        return
    _table(
        document,
        ("Id", "Kind", "Title", "Date", "Place", "Status"),
        [(e.ref, e.kind, e.title, e.when, e.place or NONE, e.state) for e in data.events],
    )


def _updates(document: Document, data: ReportData) -> None:
    document.add_heading("Updates by region", level=1)
    for region, updates in data.updates.items():
        document.add_heading(region, level=2)
        if not updates:
            document.add_paragraph("No updates in this period.")
            continue
        table = _table(
            document,
            ("Date", "Author", "Status", "Milestone", "Update", "Link"),
            [(day(u.day), u.author, u.status, u.milestone, u.text, "") for u in updates],
        )
        for row, update in zip(table.rows[1:], updates, strict=True):
            if update.link:
                _hyperlink(row.cells[5].paragraphs[0], update.link, "open")


def _practices(document: Document, data: ReportData) -> None:
    document.add_heading("Good practices linked to the pilot", level=1)
    if not data.practices:
        document.add_paragraph("No practices are linked to this pilot.")
        return
    _table(
        document,
        ("Id", "Practice", "Region", "Theme", "Data"),
        [
            (f"#{p.id}", p.title, p.region, p.theme, "sample" if p.sample else "")
            for p in data.practices
        ],
    )
    if data.has_sample:
        document.add_paragraph().add_run(SAMPLE_NOTE).italic = True


def _chart(document: Document, data: ReportData) -> None:
    from docx.shared import Cm

    document.add_heading("Updates per month by region", level=1)
    png = updates_per_month(data.per_month, title=f"{data.pilot}: updates per month")
    document.add_picture(io.BytesIO(png), width=Cm(16))


# Building blocks -------------------------------------------------------------------------


def _table(document: Document, header: tuple[str, ...], rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    return table


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (here the table of contents); Word computes it when fields are updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    run.append(shown)
    field.append(run)
    paragraph._p.append(field)


def _hyperlink(paragraph: Paragraph, url: str, label: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    # Coloured and underlined directly: the default template has no "Hyperlink" style.
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend((colour, underline))
    run.append(properties)
    shown = OxmlElement("w:t")
    shown.text = label
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)
