"""Replies that show the benchmark: league table, regional profile, comparison."""

from __future__ import annotations

from commands.benchmark.model import Benchmark, IndicatorResult, Standing
from commands.reply import (
    Bold,
    Code,
    Column,
    Field,
    Fields,
    Paragraph,
    Reply,
    Table,
    Text,
    text,
)
from storage.models import BenchmarkEdition, Region

SAMPLE_NOTE = (
    "Illustrative sample figures, not official ChemClust benchmark data: they stand in "
    "until a coordinator imports a real edition."
)
METHOD_NOTE = (
    "Index 0–100: each indicator min–max normalised across partners and editions "
    "(direction-aware), then averaged (Regional Innovation Scoreboard method)."
)
BAR_CELLS = 10


def points(score: float | None) -> str:
    """A 0..1 score as index points: 0.6423 -> "64.2"."""
    return "–" if score is None else f"{score * 100:.1f}"


def whole_points(score: float | None) -> str:
    """An indicator score as a whole number 0..100: 0.688 -> "69"."""
    return "–" if score is None else f"{score * 100:.0f}"


def signed_points(change: float | None) -> str:
    return "–" if change is None else f"{change * 100:+.1f}"


def bar(score: float | None) -> str:
    if score is None:
        return "·" * BAR_CELLS
    filled = round(score * BAR_CELLS)
    return "█" * filled + "░" * (BAR_CELLS - filled)


def number(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def footnote(edition: BenchmarkEdition, compared_with: BenchmarkEdition | None = None) -> Text:
    """The method, and the sample-data note wherever sample figures are shown or compared."""
    if edition.is_sample:
        return text(SAMPLE_NOTE, " ", METHOD_NOTE)
    if compared_with is not None and compared_with.is_sample:
        return text(
            f"Change is measured against the {compared_with.label}, which holds illustrative "
            "sample figures. ",
            METHOD_NOTE,
        )
    return text(METHOD_NOTE)


def rank_move(rank_change: int | None) -> str:
    if rank_change is None or rank_change == 0:
        return "" if rank_change is None else ", same place"
    places = "place" if abs(rank_change) == 1 else "places"
    return f", up {rank_change} {places}" if rank_change > 0 else f", down {-rank_change} {places}"


def league_table(bench: Benchmark, edition: BenchmarkEdition) -> Reply:
    standings = bench.standings(edition)
    total = len(bench.indicators)
    partial = any(s.rank is not None and s.indicators < total for s in standings)
    columns = [Column("#", "right"), Column("Region"), Column("Index", "right")]
    columns.append(Column("Change", "right"))
    if partial:
        columns.append(Column("Data", "right"))
    rows = []
    for s in standings:
        row = [str(s.rank) if s.rank else "–", s.region.name, points(s.composite)]
        row.append(signed_points(s.change))
        if partial:
            row.append(f"{s.indicators}/{total}" if s.rank else "none")
        rows.append(tuple(row))
    previous = bench.previous(edition)
    change_note = f" Change: index points since the {previous.label}." if previous else ""
    ranked = sum(1 for s in standings if s.rank is not None)
    return Reply(
        heading=f"Benchmark {edition.label}: league table",
        parts=(
            Paragraph(
                text(
                    f"Composite innovation index of {ranked} partner regions "
                    f"over {total} indicators.{change_note}"
                )
            ),
            Table(tuple(columns), tuple(rows)),
            Paragraph(
                text(
                    "A region's profile: ",
                    Code("/benchmark <region>"),
                    "; two side by side: ",
                    Code("/benchmark <region> vs <region>"),
                    ".",
                )
            ),
        ),
        footnote=footnote(edition, previous),
        summary=f"Benchmark {edition.label}: league table of {ranked} partner regions.",
    )


def _indicator_field(result: IndicatorResult) -> Field:
    unit = f" {result.indicator.unit}" if result.value is not None else ""
    detail = f" {whole_points(result.score)} · {number(result.value)}{unit}"
    if result.value is not None and result.score is None:
        detail = f" no spread · {number(result.value)}{unit}"
    return Field(result.indicator.name, text(Code(bar(result.score)), detail))


def _extremes_line(bench: Benchmark, edition: BenchmarkEdition, region: Region) -> Paragraph:
    strongest, weakest = bench.extremes(edition, region)
    scores = {r.indicator.code: r.score for r in bench.results(edition, region)}

    def names(indicators) -> str:
        return ", ".join(f"{i.name} ({points(scores[i.code])})" for i in indicators)

    return Paragraph(
        text(
            Bold("Strongest: "),
            names(strongest) or "–",
            "   ",
            Bold("Weakest: "),
            names(weakest) or "–",
        )
    )


def _change_text(standing: Standing, previous: BenchmarkEdition | None) -> str:
    if previous is None:
        return "first edition"
    if standing.change is None:
        return f"not ranked in the {previous.label}"
    return f"{signed_points(standing.change)} points{rank_move(standing.rank_change)}"


def profile(bench: Benchmark, edition: BenchmarkEdition, region: Region) -> Reply:
    standing = bench.standing(edition, region)
    previous = bench.previous(edition)
    heading = f"{region.name}: benchmark {edition.label}"
    if standing.rank is None:
        return Reply(
            heading=heading,
            parts=(Paragraph(text(f"{region.name} has no figures in the {edition.label}.")),),
            footnote=footnote(edition),
            private=True,
        )
    total = len(bench.indicators)
    change_label = f"Change since {previous.label}" if previous else "Change"
    overview = Fields(
        (
            Field("Composite index", text(Bold(points(standing.composite)), " / 100")),
            Field("Rank", text(Bold(f"{standing.rank} of {standing.of}"), " partner regions")),
            Field(change_label, text(_change_text(standing, previous))),
            Field("Data", text(f"{standing.indicators} of {total} indicators")),
            Field("Cluster", text(region.cluster or "–")),
            Field("NUTS", text(region.nuts_code)),
        )
    )
    indicators = Fields(tuple(_indicator_field(r) for r in bench.results(edition, region)))
    return Reply(
        heading=heading,
        parts=(
            overview,
            Paragraph(text(Bold("Indicators"), " (score 0–100; 100 = best among the partners)")),
            indicators,
            _extremes_line(bench, edition, region),
        ),
        footnote=footnote(edition, previous),
        summary=(
            f"{region.name}, benchmark {edition.label}: index {points(standing.composite)}, "
            f"rank {standing.rank} of {standing.of}."
        ),
    )


def comparison(bench: Benchmark, edition: BenchmarkEdition, first: Region, second: Region) -> Reply:
    a, b = bench.standing(edition, first), bench.standing(edition, second)
    results_a = bench.results(edition, first)
    results_b = bench.results(edition, second)
    rows = []
    leads = {first.name: 0, second.name: 0}
    for ra, rb in zip(results_a, results_b, strict=True):
        gap = None if ra.score is None or rb.score is None else ra.score - rb.score
        if gap:
            leads[first.name if gap > 0 else second.name] += 1
        gap_text = "–" if gap is None else f"{gap * 100:+.0f}"
        rows.append((ra.indicator.name, whole_points(ra.score), whole_points(rb.score), gap_text))

    def overview(s: Standing) -> Text:
        if s.rank is None:
            return text(f"no figures in the {edition.label}")
        return text(Bold(points(s.composite)), f" · rank {s.rank} of {s.of}")

    compared = sum(1 for row in rows if row[3] != "–")
    return Reply(
        heading=f"{first.name} vs {second.name}: benchmark {edition.label}",
        parts=(
            Fields((Field(first.name, overview(a)), Field(second.name, overview(b)))),
            Table(
                (
                    Column("Indicator"),
                    Column(first.name, "right"),
                    Column(second.name, "right"),
                    Column("Gap", "right"),
                ),
                tuple(rows),
            ),
            Paragraph(
                text(
                    f"Scores 0–100. {first.name} is ahead on {leads[first.name]} and "
                    f"{second.name} on {leads[second.name]} of {compared} indicators compared."
                )
            ),
        ),
        footnote=footnote(edition),
        summary=f"{first.name} vs {second.name}, benchmark {edition.label}.",
    )
