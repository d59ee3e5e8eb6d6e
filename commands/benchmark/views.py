"""Replies that show the benchmark: league table, regional profile, comparison."""

from __future__ import annotations

from commands.benchmark.model import Benchmark, IndicatorResult, Rate, Standing
from commands.benchmark.notes import footnote, indicator_count, left_out_sentence
from commands.benchmark.rules import shown
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

BAR_CELLS = 10


def points(score: float | None) -> str:
    """A 0..1 score as index points: 0.6423 -> "64.2"."""
    return "–" if score is None else f"{shown(score * 100):.1f}"


def index_points(index: float | None) -> str:
    """A shown index (already in points, one decimal): 64.2 -> "64.2"."""
    return "–" if index is None else f"{index:.1f}"


def whole(score: float | None) -> int | None:
    """An indicator score as the whole number 0..100 a reply shows: 0.688 -> 69."""
    return None if score is None else int(shown(score * 100, 0))


def whole_points(score: float | None) -> str:
    """An indicator score as a whole number 0..100: 0.688 -> "69"."""
    return "–" if score is None else str(whole(score))


def signed(change: float | None, decimals: int = 1) -> str:
    """A change in points with its sign; no change is "0.0", never "+0.0" or "-0.0"."""
    if change is None:
        return "–"
    value = shown(change, decimals)
    return f"{value:.{decimals}f}" if value == 0 else f"{value:+.{decimals}f}"


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


def rate_text(rate: Rate | None) -> str:
    """``+4.3 points a year since the 2010 report``, or "–"."""
    if rate is None:
        return "–"
    return f"{signed(rate.points_per_year)} points a year since the {rate.first.label}"


def rank_move(rank_change: int | None) -> str:
    if rank_change is None or rank_change == 0:
        return "" if rank_change is None else ", same place"
    places = "place" if abs(rank_change) == 1 else "places"
    return f", up {rank_change} {places}" if rank_change > 0 else f", down {-rank_change} {places}"


def league_table(bench: Benchmark, edition: BenchmarkEdition) -> Reply:
    standings = bench.standings(edition)
    total = len(bench.scored_indicators(edition))
    partial = any(s.rank is not None and s.indicators < total for s in standings)
    columns = [Column("#", "right"), Column("Region"), Column("Index", "right")]
    columns.append(Column("Change", "right"))
    if partial:
        columns.append(Column("Data", "right"))
    rows = []
    for s in standings:
        row = [str(s.rank) if s.rank else "–", s.region.name, index_points(s.index)]
        row.append(signed(s.change))
        if partial:
            row.append(f"{s.indicators}/{total}" if s.rank else "none")
        rows.append(tuple(row))
    previous = bench.previous(edition)
    change_note = f" Change: index points since the {previous.label}." if previous else ""
    left_out = left_out_sentence(bench, edition)
    ranked = sum(1 for s in standings if s.rank is not None)
    return Reply(
        heading=f"Benchmark {edition.label}: league table",
        parts=(
            Paragraph(
                text(
                    f"Composite innovation index of {ranked} partner regions "
                    f"over {indicator_count(bench, edition)}.{change_note}"
                    + (f" {left_out}" if left_out else "")
                )
            ),
            Table(tuple(columns), tuple(rows)),
            Paragraph(
                text(
                    "A region's profile: ",
                    Code("/benchmark <region>"),
                    "; two side by side: ",
                    Code("/benchmark <region> vs <region>"),
                    "; what moved: ",
                    Code("/benchmark movers"),
                    ".",
                )
            ),
        ),
        footnote=footnote(bench, edition, previous),
        summary=f"Benchmark {edition.label}: league table of {ranked} partner regions.",
    )


def score_text(result: IndicatorResult) -> str:
    """``69`` for a score, ``0 (clipped)`` for a clipped sample score, ``–`` for none."""
    if result.score is None:
        return "–"
    return whole_points(result.score) + (" (clipped)" if result.clipped else "")


def score_detail(result: IndicatorResult) -> str:
    """As ``score_text``, and ``no spread`` or ``no real figures`` for a figure of an indicator
    left out of the index."""
    if result.score is None and result.value is not None and result.left_out:
        return result.left_out
    return score_text(result)


def _indicator_field(result: IndicatorResult) -> Field:
    unit = f" {result.indicator.unit}" if result.value is not None else ""
    detail = f" {score_detail(result)} · {number(result.value)}{unit}"
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
    return f"{signed(standing.change)} points{rank_move(standing.rank_change)}"


def profile(bench: Benchmark, edition: BenchmarkEdition, region: Region) -> Reply:
    standing = bench.standing(edition, region)
    previous = bench.previous(edition)
    heading = f"{region.name}: benchmark {edition.label}"
    if standing.rank is None:
        return Reply(
            heading=heading,
            parts=(Paragraph(text(f"{region.name} has no figures in the {edition.label}.")),),
            footnote=footnote(bench, edition),
            private=True,
        )
    total = len(bench.scored_indicators(edition))
    change_label = f"Change since {previous.label}" if previous else "Change"
    overview = Fields(
        (
            Field("Composite index", text(Bold(index_points(standing.index)), " / 100")),
            Field("Rank", text(Bold(f"{standing.rank} of {standing.of}"), " partner regions")),
            Field(change_label, text(_change_text(standing, previous))),
            Field("Average change", text(rate_text(bench.rate(edition, region)))),
            Field("Data", text(f"{standing.indicators} of {total} indicators")),
            Field("Cluster", text(region.cluster or "–")),
            Field("NUTS", text(region.nuts_code)),
        )
    )
    indicators = Fields(tuple(_indicator_field(r) for r in bench.results(edition, region)))
    parts: list = [
        overview,
        Paragraph(text(Bold("Indicators"), " (score 0–100; 100 = best among the partners)")),
        indicators,
        _extremes_line(bench, edition, region),
    ]
    left_out = left_out_sentence(bench, edition)
    if left_out:
        parts.append(Paragraph(text(left_out)))
    return Reply(
        heading=heading,
        parts=tuple(parts),
        footnote=footnote(bench, edition, previous),
        summary=(
            f"{region.name}, benchmark {edition.label}: index {index_points(standing.index)}, "
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
        score_a, score_b = whole(ra.score), whole(rb.score)
        # The gap of the two scores shown, so that it always adds up on screen.
        gap = None if score_a is None or score_b is None else score_a - score_b
        if gap:
            leads[first.name if gap > 0 else second.name] += 1
        rows.append(
            (ra.indicator.name, score_detail(ra), score_detail(rb), signed(gap, decimals=0))
        )

    def overview(s: Standing) -> Text:
        if s.rank is None:
            return text(f"no figures in the {edition.label}")
        return text(Bold(index_points(s.index)), f" · rank {s.rank} of {s.of}")

    compared = sum(1 for row in rows if row[3] != "–")
    left_out = left_out_sentence(bench, edition)
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
                    + (f" {left_out}" if left_out else "")
                )
            ),
        ),
        footnote=footnote(bench, edition),
        summary=f"{first.name} vs {second.name}, benchmark {edition.label}.",
    )
