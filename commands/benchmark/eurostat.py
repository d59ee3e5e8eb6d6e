"""``import eurostat``: an indicator's figures from Eurostat, checked, reported, written."""

from __future__ import annotations

from datetime import UTC, datetime

from commands.benchmark.announce import announce_newest
from commands.benchmark.eurostat_api import EurostatError, fetch, parse
from commands.benchmark.eurostat_plan import EurostatPlan, plan_eurostat
from commands.benchmark.imports import ImportOutcome
from commands.reply import Bold, Field, Fields, Paragraph, Reply, text
from storage.db import SessionFactory
from storage.eurostat import apply_eurostat, partner_geo_codes
from storage.indicators import resolve_indicator

FILTER_USAGE = "--filter key=value (e.g. --filter unit=PC_GDP --filter sectperf=TOTAL)"


def parse_filters(filters: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise EurostatError(f"“{item}” is not a filter; write {FILTER_USAGE}.")
        if key.strip() in {"geo", "time", "format", "lang"}:
            raise EurostatError(f"{key.strip()} is set by the import itself; leave it out.")
        pairs.append((key.strip(), value.strip()))
    return pairs


def import_eurostat(
    sessions: SessionFactory,
    *,
    group_id: int,
    dataset: str,
    indicator: str,
    filters: list[str],
    since: int | None,
    dry_run: bool,
    base_url: str | None = None,
    now: datetime | None = None,
) -> ImportOutcome:
    heading = f"Eurostat import: {dataset}"
    try:
        params = parse_filters(filters)
        with sessions() as session:
            found = resolve_indicator(session=session, group_id=group_id, query=indicator)
            if found.match is None:
                names = ", ".join(f"{i.code} ({i.name})" for i in found.candidates)
                closest = f" Closest: {names}." if names else ""
                raise EurostatError(f"Unknown indicator “{indicator}”.{closest}")
            geo_codes = sorted(partner_geo_codes(session=session, group_id=group_id))
        params += [("geo", code) for code in geo_codes]
        if since is not None:
            params.append(("sinceTimePeriod", str(since)))
        parsed = parse(fetch(dataset, params, base_url=base_url))
        with sessions.begin() as session:
            plan = plan_eurostat(
                session=session,
                group_id=group_id,
                dataset_code=dataset,
                dataset=parsed,
                indicator=found.match,
                since=since,
            )
            if plan.ok and not dry_run:
                apply_eurostat(
                    session=session, indicator_id=plan.indicator.id, figures=plan.figures
                )
                announce_newest(
                    session=session,
                    group_id=group_id,
                    edition_ids={f.edition_id for f in plan.figures},
                    now=now or datetime.now(UTC),
                )
    except EurostatError as error:
        reply = Reply(
            heading=heading,
            parts=(Paragraph(text(str(error), " Nothing was imported.")),),
            summary=str(error),
        )
        return ImportOutcome(reply, ok=False)
    return ImportOutcome(report(plan, heading, written=plan.ok and not dry_run), ok=plan.ok)


def report(plan: EurostatPlan, heading: str, *, written: bool) -> Reply:
    if not plan.ok:
        lines = [f"{len(plan.problems)} problem(s); nothing was imported.", *plan.problems]
        return Reply(heading=heading, parts=(Paragraph(text("\n".join(lines))),))
    indicator = plan.indicator
    replaced = sum(1 for f in plan.figures if f.replaces)
    flagged: dict[str, int] = {}
    for figure in plan.figures:
        if "; flag " in figure.note:
            flag = figure.note.split("; flag ", 1)[1]
            flagged[flag] = flagged.get(flag, 0) + 1
    fields = [
        Field("Indicator", text(Bold(indicator.code), f" {indicator.name} ({indicator.unit})")),
        Field(
            "Figures",
            text(", ".join(f"{label}: {n}" for label, n in plan.by_edition.items())),
        ),
        Field("Replacing", text(f"{replaced} earlier figures" if replaced else "none")),
        Field(
            "Flags kept as notes",
            text(", ".join(f"{n} × {flag}" for flag, n in sorted(flagged.items())) or "none"),
        ),
    ]
    parts: list = [Fields(tuple(fields))]
    if plan.regions_without_data:
        parts.append(
            Paragraph(text("No data from Eurostat for: ", ", ".join(plan.regions_without_data)))
        )
    if plan.notes:
        parts.append(Paragraph(text("\n".join(plan.notes))))
    done = f"Imported {len(plan.figures)} figures." if written else "Checked; nothing written."
    parts.append(Paragraph(text(Bold(done))))
    return Reply(heading=heading, parts=tuple(parts), summary=done)
