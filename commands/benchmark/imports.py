"""Importing benchmark files: the validation report, the command-line import, and files sent
to the bot in a direct message, which wait for their sender's "Import" click."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from commands import offload
from commands.benchmark import deliveries
from commands.benchmark.announce import announce_import
from commands.context import Context
from commands.errors import CommandError
from commands.files import IncomingFile
from commands.numbers import read_number
from commands.reply import Actions, Bold, Button, Code, Field, Fields, Paragraph, Reply, text
from storage.benchmark import newest_edition
from storage.benchmark_import import ImportPlan, apply_import, plan_import
from storage.benchmark_uploads import claim_upload, find_upload, save_upload
from storage.db import SessionFactory
from storage.models import BenchmarkEdition, BenchmarkUpload
from storage.numbers import YEAR, looks_like_number
from storage.regions import list_regions
from storage.sheets import SUFFIXES, UnreadableFile, read_sheet
from storage.text import clean_text

IMPORT_ACTION = "benchmark.import_upload"
DISCARD_ACTION = "benchmark.discard_upload"
MESSAGE_HINT = (
    "Send the file again with the edition in the message, e.g. “2014”, or “2014 update year 2014”."
)
# Problems listed in one reply; the rest are counted.
MAX_LISTED_PROBLEMS = 40

_YEAR_WORDS = re.compile(r"\byear\s+(\S+)", re.IGNORECASE)
_REPLACE_WORD = re.compile(r"\breplace\b", re.IGNORECASE)
_EDITION_WORD = re.compile(r"^\s*edition\b[:\s]*", re.IGNORECASE)


@dataclass(frozen=True)
class ImportOutcome:
    reply: Reply
    ok: bool


def report(
    plan: ImportPlan,
    *,
    written: bool,
    region_names: dict[int, str] | None = None,
    hint: str = "",
) -> Reply:
    """What the file holds and what importing it does (or did), or every problem in it."""
    heading = f"Benchmark import: {plan.filename}"
    if plan.problems:
        return _refusal(plan, heading, hint)
    parts: list = []
    for edition in plan.editions:
        parts.append(Fields(_edition_fields(edition, plan, region_names or {})))
    if plan.notes:
        parts.append(Paragraph(text(*_lines(plan.notes))))
    if plan.regions_without_figures:
        parts.append(
            Paragraph(text("No figures for: ", ", ".join(plan.regions_without_figures), "."))
        )
    if written:
        labels = ", ".join(e.label for e in plan.editions)
        summary = f"Imported {plan.value_count} figures into {labels}."
        parts.append(Paragraph(text(Bold(summary), " See them with ", Code("/benchmark"), ".")))
    else:
        summary = f"{plan.filename} is valid: {plan.value_count} figures."
    return Reply(heading=heading, parts=tuple(parts), summary=summary, private=True)


def _edition_fields(edition, plan: ImportPlan, region_names: dict[int, str]) -> tuple:
    regions = {v.region_id for v in edition.values}
    indicators = {v.indicator_id for v in edition.values}
    figures = f"{len(edition.values)} for {len(regions)} regions × {len(indicators)} indicators"
    if plan.scope_region_id is not None:
        figures = (
            f"{len(edition.values)} for {region_names.get(plan.scope_region_id, 'your region')}"
        )
    if edition.no_figures:
        figures += f"; {edition.no_figures} marked n/a"
    if edition.is_new:
        what = f"new edition of {edition.year}"
    elif plan.scope_region_id is not None:
        what = f"replaces your region's {edition.existing_values} figures"
    else:
        what = f"replaces its {edition.existing_values} figures"
        if edition.was_sample:
            what += "; sample data becomes real data"
    return (
        Field("Edition", text(Bold(edition.label), f" ({what})")),
        Field("Figures", text(figures)),
        Field("Layout", text(f"{plan.layout} (a {_layout_meaning(plan.layout)})")),
    )


def _layout_meaning(layout: str) -> str:
    return "row per region, a column per indicator" if layout == "wide" else "figure per row"


def _refusal(plan: ImportPlan, heading: str, hint: str) -> Reply:
    count = len(plan.problems)
    listed = plan.problems[:MAX_LISTED_PROBLEMS]
    pieces: list = []
    for problem in listed:
        if pieces:
            pieces.append("\n")
        if problem.where:
            pieces += [Bold(problem.where[0].upper() + problem.where[1:]), ": "]
        pieces.append(problem.message)
    if count > len(listed):
        pieces.append(f"\n…and {count - len(listed)} more.")
    noun = "problem" if count == 1 else "problems"
    parts: list = [
        Paragraph(text(f"{count} {noun}; nothing was imported. Fix them and try again.")),
        Paragraph(tuple(pieces)),
    ]
    if hint and any("Say which edition" in p.message for p in plan.problems):
        parts.append(Paragraph(text(hint)))
    return Reply(
        heading=heading,
        parts=tuple(parts),
        private=True,
        summary=f"{plan.filename}: {count} {noun}, nothing imported.",
    )


def _lines(lines: list[str]) -> tuple:
    pieces: list = []
    for line in lines:
        if pieces:
            pieces.append("\n")
        pieces.append(line)
    return tuple(pieces)


def unreadable(filename: str, error: UnreadableFile) -> Reply:
    return Reply(
        heading=f"Benchmark import: {filename}",
        parts=(Paragraph(text(str(error), " Nothing was imported.")),),
        private=True,
        summary=str(error),
    )


# --- from the command line ---------------------------------------------------------------


def import_file(
    sessions: SessionFactory,
    *,
    group_id: int,
    filename: str,
    content: bytes,
    edition: str | None,
    year: int | None,
    replace: bool,
    dry_run: bool,
    source: str,
    is_sample: bool = False,
    now: datetime | None = None,
) -> ImportOutcome:
    """Validate a file and, unless ``dry_run``, import it: all of it, in one transaction,
    with its announcement to the group's channels."""
    try:
        sheet = offload.run_paced(read_sheet, content, filename)
    except UnreadableFile as error:
        return ImportOutcome(unreadable(filename, error), ok=False)
    with sessions.begin() as session:
        plan = plan_import(
            session=session,
            group_id=group_id,
            sheet=sheet,
            edition=edition,
            year=year,
            replace=replace,
        )
        if plan.ok and not dry_run:
            written = apply_import(
                session=session, group_id=group_id, plan=plan, source=source, is_sample=is_sample
            )
            announce_import(session, group_id, plan, written, now or datetime.now(UTC))
    reply = report(plan, written=plan.ok and not dry_run)
    return ImportOutcome(reply, ok=plan.ok)


# --- files sent to the bot ---------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    edition: str | None
    year: int | None


def parse_message(message: str) -> Request:
    """``2014``, ``edition 2014 update year 2014``: the edition a coordinator's file is for."""
    # "year" before a word rather than a number is part of the label.
    found = (m for m in _YEAR_WORDS.finditer(message) if looks_like_number(m.group(1)))
    year_match = next(found, None)
    rest = message
    if year_match:
        rest = f"{message[: year_match.start()]} {message[year_match.end() :]}"
    rest = _REPLACE_WORD.sub(" ", rest)
    rest = _EDITION_WORD.sub("", " ".join(rest.split()))
    label = rest.strip(" .:") or None
    year = read_number(YEAR, year_match.group(1)) if year_match else None
    return Request(edition=label, year=year)


def open_edition(ctx: Context) -> BenchmarkEdition | None:
    """The edition partners deliver figures for: the newest one."""
    with ctx.sessions() as session:
        return newest_edition(session=session, group_id=ctx.group_id)


def receive_file(ctx: Context, incoming: IncomingFile) -> Reply | None:
    """Check a file sent to the bot and offer to import it; None when it was already handled.

    Coordinators import whole editions (named in the message, or in the file's edition
    column); a partner delivers their own region's figures for the open edition.
    """
    # The file's name and message are text its sender chose, kept and shown like any other.
    incoming = replace(
        incoming, filename=clean_text(incoming.filename), message=clean_text(incoming.message)
    )
    if not incoming.filename.lower().endswith(SUFFIXES):
        return _not_a_table(incoming)
    region_id: int | None = None
    if ctx.is_coordinator:
        request = parse_message(incoming.message)
    else:
        request, region_id = _partner_request(ctx)
    try:
        sheet = offload.run_paced(read_sheet, incoming.content, incoming.filename)
    except UnreadableFile as error:
        return unreadable(incoming.filename, error)
    with ctx.sessions.begin() as session:
        plan = plan_import(
            session=session,
            group_id=ctx.group_id,
            sheet=sheet,
            edition=request.edition,
            year=request.year,
            # The button says "Replace …" when an edition exists: clicking it is the request.
            replace=True,
            scope_region_id=region_id,
        )
        if not plan.ok:
            return report(plan, written=False, hint=MESSAGE_HINT)
        upload = save_upload(
            session=session,
            group_id=ctx.group_id,
            source_ref=incoming.source_ref,
            platform=ctx.identity.platform,
            user_id=ctx.identity.user_id,
            filename=incoming.filename,
            content=incoming.content,
            region_id=region_id,
            edition_label=request.edition,
            edition_year=request.year,
            replace=True,
        )
        if upload is None:
            return None
        token = upload.token
    names = {region_id: ctx.region_name or ""} if region_id is not None else None
    checked = report(plan, written=False, region_names=names)
    replacing = [e.label for e in plan.editions if not e.is_new]
    label = f"Replace {', '.join(replacing)}" if replacing else "Import"
    buttons = Actions(
        (
            Button(label[:60], IMPORT_ACTION, value=token, style="primary"),
            Button("Discard", DISCARD_ACTION, value=token),
        )
    )
    return Reply(
        heading=checked.heading,
        parts=(
            *checked.parts,
            Paragraph(text("The file is valid. Nothing is written until you click the button.")),
            buttons,
        ),
        summary=checked.summary,
    )


def _not_a_table(incoming: IncomingFile) -> Reply:
    return Reply(
        parts=(
            Paragraph(
                text(
                    f"I read benchmark figures from .csv and .xlsx files; {incoming.filename} is "
                    "neither."
                )
            ),
        ),
        summary="Send a .csv or .xlsx file.",
    )


def _partner_request(ctx: Context) -> tuple[Request, int]:
    if ctx.region_id is None:
        raise CommandError(
            "Which region's figures are these? Say which region you represent first, then "
            "send the file again.",
            usage="/chemclust join <region>",
        )
    edition = open_edition(ctx)
    if edition is None or edition.is_sample:
        shown = f" ({edition.label} holds sample figures)" if edition is not None else ""
        raise CommandError(
            f"There is no open edition to deliver figures for{shown}. A coordinator opens the "
            "next edition by importing it; then send your file again."
        )
    return Request(edition=edition.label, year=None), ctx.region_id


def import_upload(ctx: Context, token: str) -> Reply:
    """The "Import" button: validate the kept file again, against today's data, and import it."""
    with ctx.sessions.begin() as session:
        upload = _own_upload(ctx, session, token)
        sheet = offload.run_paced(read_sheet, upload.content, upload.filename)
        plan = plan_import(
            session=session,
            group_id=ctx.group_id,
            sheet=sheet,
            edition=upload.edition_label,
            year=upload.edition_year,
            replace=upload.replace,
            scope_region_id=upload.region_id,
        )
        if not plan.ok:
            return report(plan, written=False, hint=MESSAGE_HINT)
        if not claim_upload(session=session, upload_id=upload.id, status="imported", now=ctx.now):
            raise CommandError("That file has already been imported or discarded.")
        who = ctx.identity.user_name or ctx.identity.user_id
        source = f"Imported from {upload.filename}, sent by {who} on {ctx.now:%Y-%m-%d}."
        editions = apply_import(session=session, group_id=ctx.group_id, plan=plan, source=source)
        if upload.region_id is None:
            # A partner's own figures fill an open edition; the coordinator's import announces it.
            announce_import(session, ctx.group_id, plan, editions, ctx.now)
        names = {r.id: r.name for r in list_regions(session=session, group_id=ctx.group_id)}
        deadlines = []
        if upload.region_id is not None:
            for edition in editions:
                deadline = deliveries.record_delivery(
                    session=session,
                    group_id=ctx.group_id,
                    region_id=upload.region_id,
                    edition=edition,
                    at=ctx.now,
                    recorded_by_id=ctx.member_id,
                )
                if deadline is not None:
                    deadlines.append(f"{deadline.ref} “{deadline.title}”")
    answer = report(plan, written=True, region_names=names)
    if deadlines:
        region = names.get(upload.region_id or 0, "your region")
        note = text(f"Recorded as {region}'s delivery for ", "; ".join(deadlines), ".")
        answer = replace(answer, parts=(*answer.parts, Paragraph(note)))
    return answer


def discard_upload(ctx: Context, token: str) -> Reply:
    with ctx.sessions.begin() as session:
        upload = _own_upload(ctx, session, token)
        if not claim_upload(session=session, upload_id=upload.id, status="discarded", now=ctx.now):
            raise CommandError("That file has already been imported or discarded.")
        filename = upload.filename
    return Reply(
        parts=(Paragraph(text(f"Discarded {filename}; nothing was imported.")),),
        private=True,
        summary=f"Discarded {filename}.",
    )


def _own_upload(ctx: Context, session, token: str) -> BenchmarkUpload:
    upload = find_upload(session=session, group_id=ctx.group_id, token=token)
    if upload is None:
        raise CommandError("That file is no longer available; send it again.")
    if (upload.platform, upload.user_id) != ctx.identity.person:
        raise CommandError("Only the person who sent the file can import it.")
    if upload.status != "pending":
        raise CommandError(f"That file has already been {upload.status}.")
    return upload
