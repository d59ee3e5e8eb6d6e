"""Replies that carry a chart: a region's scores, its trend, one indicator across regions."""

from __future__ import annotations

import re

from commands import offload
from commands.benchmark import charts
from commands.benchmark.model import Benchmark, IndicatorResult, Rate
from commands.benchmark.notes import clipping_note, footnote, left_out_sentence, reason
from commands.benchmark.views import (
    index_points,
    number,
    rate_text,
    score_detail,
    score_text,
    signed,
)
from commands.reply import Attachment, Bold, Code, Column, Paragraph, Reply, Table, Text, text
from storage.models import BenchmarkEdition, Indicator, Region


def slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)


def _png(filename: str, content: bytes, title: str) -> Attachment:
    return Attachment(filename=filename, content=content, mime_type="image/png", title=title)


def _chart_notes(bench: Benchmark, *editions: BenchmarkEdition) -> list[str]:
    """What a chart says under it: sample figures and, where it happened, their clipping."""
    if not any(e.is_sample for e in editions):
        return []
    notes = [charts.SAMPLE_CHART_NOTE]
    if bench.has_real:
        notes.append("Sample figures are scored on the scale the real editions set.")
    clipping = clipping_note(bench, *editions)
    return [*notes, clipping] if clipping else notes


def region_chart(bench: Benchmark, edition: BenchmarkEdition, region: Region) -> Reply:
    standing = bench.standing(edition, region)
    if standing.rank is None:
        return _no_figures(region, edition)
    results = bench.results(edition, region)
    medians = bench.median_scores(edition)
    title = f"{region.name}: benchmark {edition.label}"
    png = offload.run_paced(
        charts.region_scores,
        title=title,
        indicators=[r.indicator.name for r in results],
        scores=[None if r.score is None else r.score * 100 for r in results],
        labels=[_bar_label(r) for r in results],
        medians=[_percent(medians[r.indicator.code]) for r in results],
        notes=_chart_notes(bench, edition),
    )
    above = sum(
        1
        for r in results
        if r.score is not None
        and medians[r.indicator.code] is not None
        and r.score > medians[r.indicator.code]
    )
    scored = sum(1 for r in results if r.score is not None)
    left_out = left_out_sentence(bench, edition)
    return Reply(
        heading=f"{title}: chart",
        parts=(
            Paragraph(
                text(
                    "Index ",
                    Bold(index_points(standing.index)),
                    f", rank {standing.rank} of {standing.of}. Above the partners' median on "
                    f"{above} of {scored} indicators.",
                    f" {left_out}" if left_out else "",
                )
            ),
        ),
        files=(_png(slug(region.key, "benchmark", edition.label) + ".png", png, title),),
        footnote=footnote(bench, edition),
        summary=f"{region.name}, benchmark {edition.label}: chart of the indicator scores.",
    )


def trend_chart(bench: Benchmark, region: Region) -> Reply:
    editions = bench.editions_with_values()
    standings = [bench.standing(e, region) for e in editions]
    if all(s.rank is None for s in standings):
        return _no_figures(region, None)
    rate = bench.rate(editions[-1], region)
    title = f"{region.name}: composite index across editions"
    png = offload.run_paced(
        charts.composite_trend,
        title=title,
        editions=[e.label for e in editions],
        years=[e.year for e in editions],
        composites=[s.index for s in standings],
        medians=[_percent(bench.median_composite(e)) for e in editions],
        sample=[e.is_sample for e in editions],
        rate=rate_text(rate) if rate else "",
        notes=_chart_notes(bench, *editions),
    )
    rows = []
    for position, (e, s) in enumerate(zip(editions, standings, strict=True)):
        before = editions[position - 1] if position else None
        rows.append(
            (
                e.label,
                str(e.year),
                index_points(s.index),
                f"{s.rank} of {s.of}" if s.rank else "–",
                signed(s.change),
                signed(_per_year(s.change, before, e)),
                "sample" if e.is_sample else "",
            )
        )
    parts: list = [
        Table(
            (
                Column("Edition"),
                Column("Year", "right"),
                Column("Index", "right"),
                Column("Rank", "right"),
                Column("Change", "right"),
                Column("Per year", "right"),
                Column("Data"),
            ),
            tuple(rows),
        ),
        Paragraph(_rate_sentence(rate)),
    ]
    # Any sample edition on the chart brings the sample note.
    samples = [e for e in editions if e.is_sample]
    note = footnote(bench, samples[0], None, *samples) if samples else footnote(bench, editions[-1])
    return Reply(
        heading=title,
        parts=tuple(parts),
        files=(_png(slug(region.key, "trend") + ".png", png, title),),
        footnote=note,
        summary=f"{region.name}: composite index across {len(editions)} editions.",
    )


def _per_year(
    change: float | None, before: BenchmarkEdition | None, edition: BenchmarkEdition
) -> float | None:
    if change is None or before is None or edition.year <= before.year:
        return None
    return change / (edition.year - before.year)


def _rate_sentence(rate: Rate | None) -> Text:
    """The average yearly change with its sum, so that a reader can check it."""
    if rate is None:
        return text(
            "Average change: – (the index needs two editions a year or more apart to have one)."
        )
    years = rate.last.year - rate.first.year
    return text(
        "Average change: ",
        Bold(f"{signed(rate.points_per_year)} points a year"),
        f" from the {rate.first.label} to the {rate.last.label}: "
        f"({index_points(rate.last_index)} − {index_points(rate.first_index)}) ÷ {years} "
        f"{'year' if years == 1 else 'years'}.",
    )


def indicator_ranking(
    bench: Benchmark, edition: BenchmarkEdition, indicator: Indicator, asker: Region | None
) -> Reply:
    results = bench.indicator_results(edition, indicator)
    title = f"{indicator.name}: benchmark {edition.label}"
    direction = "higher is better" if indicator.higher_is_better else "lower is better"
    rows = []
    rank, previous = 0, None
    for position, (region, result) in enumerate(results, start=1):
        if result.value is not None and result.value != previous:
            rank, previous = position, result.value  # equal values share a rank
        rows.append(
            (
                str(rank) if result.value is not None else "–",
                region.name,
                number(result.value),
                score_text(result),
            )
        )
    png = offload.run_paced(
        charts.ranked_values,
        title=title,
        unit=f"{indicator.unit} ({direction})",
        bars=[
            charts.Bar(
                region.name, result.value, highlight=asker is not None and region.id == asker.id
            )
            for region, result in results
        ],
        notes=_chart_notes(bench, edition),
    )
    reported = sum(1 for _, result in results if result.value is not None)
    sentence = (
        f"{indicator.code} · {indicator.unit} · {direction}. "
        f"{reported} of {len(results)} regions reported a figure."
    )
    missing = next((m for m in bench.left_out(edition) if m.indicator.id == indicator.id), None)
    if missing is not None and reported:
        sentence += f" Left out of the index: {reason(missing, edition)}."
    return Reply(
        heading=title,
        parts=(
            Paragraph(text(sentence)),
            Table(
                (
                    Column("#", "right"),
                    Column("Region"),
                    Column(indicator.unit, "right"),
                    Column("Score", "right"),
                ),
                tuple(rows),
            ),
        ),
        files=(_png(slug(indicator.code, edition.label) + ".png", png, title),),
        footnote=footnote(bench, edition),
        summary=f"{indicator.name}, benchmark {edition.label}: {reported} regions ranked.",
    )


def _no_figures(region: Region, edition: BenchmarkEdition | None) -> Reply:
    where = f"in the {edition.label}" if edition else "in any edition"
    return Reply(
        parts=(
            Paragraph(text(f"{region.name} has no figures {where}, so there is nothing to draw.")),
            Paragraph(text("See the editions with ", Code("/benchmark"), ".")),
        ),
        private=True,
    )


def _percent(score: float | None) -> float | None:
    return None if score is None else score * 100


def _bar_label(result: IndicatorResult) -> str:
    """What a region chart writes beside a bar: the score as the profile shows it."""
    if result.score is None and result.value is None:
        return "no data"
    if result.score is None:
        return f"left out: {result.left_out}"
    return score_detail(result)
