"""Replies that carry a chart: a region's scores, its trend, one indicator across regions."""

from __future__ import annotations

import re

from commands.benchmark import charts
from commands.benchmark.model import Benchmark
from commands.benchmark.views import footnote, number, points, signed_points
from commands.reply import Attachment, Bold, Code, Column, Paragraph, Reply, Table, text
from storage.models import BenchmarkEdition, Indicator, Region


def slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)


def _png(filename: str, content: bytes, title: str) -> Attachment:
    return Attachment(filename=filename, content=content, mime_type="image/png", title=title)


def _sample_notes(*editions: BenchmarkEdition | None) -> list[str]:
    return (
        [charts.SAMPLE_CHART_NOTE] if any(e is not None and e.is_sample for e in editions) else []
    )


def region_chart(bench: Benchmark, edition: BenchmarkEdition, region: Region) -> Reply:
    standing = bench.standing(edition, region)
    if standing.rank is None:
        return _no_figures(region, edition)
    results = bench.results(edition, region)
    medians = bench.median_scores(edition)
    title = f"{region.name}: benchmark {edition.label}"
    png = charts.region_scores(
        title=title,
        indicators=[r.indicator.name for r in results],
        scores=[None if r.score is None else r.score * 100 for r in results],
        medians=[_percent(medians[r.indicator.code]) for r in results],
        notes=_sample_notes(edition),
    )
    above = sum(
        1
        for r in results
        if r.score is not None
        and medians[r.indicator.code] is not None
        and r.score > medians[r.indicator.code]
    )
    scored = sum(1 for r in results if r.score is not None)
    return Reply(
        heading=f"{title}: chart",
        parts=(
            Paragraph(
                text(
                    "Index ",
                    Bold(points(standing.composite)),
                    f", rank {standing.rank} of {standing.of}. Above the partners' median on "
                    f"{above} of {scored} indicators.",
                )
            ),
        ),
        files=(_png(slug(region.key, "benchmark", edition.label) + ".png", png, title),),
        footnote=footnote(edition),
        summary=f"{region.name}, benchmark {edition.label}: chart of the indicator scores.",
    )


def trend_chart(bench: Benchmark, region: Region) -> Reply:
    editions = bench.editions_with_values()
    standings = [bench.standing(e, region) for e in editions]
    if all(s.rank is None for s in standings):
        return _no_figures(region, None)
    title = f"{region.name}: composite index across editions"
    png = charts.composite_trend(
        title=title,
        editions=[e.label for e in editions],
        composites=[_percent(s.composite) for s in standings],
        medians=[_percent(bench.median_composite(e)) for e in editions],
        sample=[e.is_sample for e in editions],
        notes=_sample_notes(*editions),
    )
    rows = tuple(
        (
            e.label,
            points(s.composite),
            f"{s.rank} of {s.of}" if s.rank else "–",
            signed_points(s.change),
            "sample" if e.is_sample else "",
        )
        for e, s in zip(editions, standings, strict=True)
    )
    # Any sample edition on the chart brings the sample note.
    samples = [e for e in editions if e.is_sample]
    return Reply(
        heading=title,
        parts=(
            Table(
                (
                    Column("Edition"),
                    Column("Index", "right"),
                    Column("Rank", "right"),
                    Column("Change", "right"),
                    Column("Data"),
                ),
                rows,
            ),
        ),
        files=(_png(slug(region.key, "trend") + ".png", png, title),),
        footnote=footnote(samples[0] if samples else editions[-1]),
        summary=f"{region.name}: composite index across {len(editions)} editions.",
    )


def indicator_ranking(
    bench: Benchmark, edition: BenchmarkEdition, indicator: Indicator, asker: Region | None
) -> Reply:
    results = bench.indicator_results(edition, indicator)
    title = f"{indicator.name}: benchmark {edition.label}"
    direction = "higher is better" if indicator.higher_is_better else "lower is better"
    rows = []
    rank, previous = 0, None
    for position, (region, value, score) in enumerate(results, start=1):
        if value is not None and value != previous:
            rank, previous = position, value  # equal values share a rank
        rows.append(
            (
                str(rank) if value is not None else "–",
                region.name,
                number(value),
                "–" if score is None else f"{score * 100:.0f}",
            )
        )
    png = charts.ranked_values(
        title=title,
        unit=f"{indicator.unit} ({direction})",
        bars=[
            charts.Bar(region.name, value, highlight=asker is not None and region.id == asker.id)
            for region, value, _ in results
        ],
        notes=_sample_notes(edition),
    )
    reported = sum(1 for _, value, _ in results if value is not None)
    return Reply(
        heading=title,
        parts=(
            Paragraph(
                text(
                    f"{indicator.code} · {indicator.unit} · {direction}. "
                    f"{reported} of {len(results)} regions reported a figure."
                )
            ),
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
        footnote=footnote(edition),
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
