"""What moved between two editions: for one region indicator by indicator, and for all regions
and indicators at once. Every change here is the difference of the two values a reply shows."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from commands.benchmark.model import Benchmark, IndicatorResult, Standing
from commands.benchmark.rules import index_effects, shown
from storage.models import BenchmarkEdition, Indicator, Region

# How many risers and fallers a summary names.
TOP = 3


@dataclass(frozen=True)
class IndicatorMove:
    before: IndicatorResult
    after: IndicatorResult
    effect: float | None  # points the indicator moved the region's index by (unrounded)

    @property
    def indicator(self) -> Indicator:
        return self.after.indicator


@dataclass(frozen=True)
class RegionMoves:
    """One region from one edition to the next."""

    region: Region
    before: BenchmarkEdition
    after: BenchmarkEdition
    standing_before: Standing
    standing_after: Standing
    indicators: list[IndicatorMove]

    def moved_most(self, rising: bool) -> list[IndicatorMove]:
        """The indicators that raised (or lowered) the index most, biggest first; an effect
        that rounds to 0.0 moved nothing."""
        moved = [m for m in self.indicators if m.effect is not None and shown(m.effect) != 0]
        chosen = [m for m in moved if (m.effect > 0) == rising]  # type: ignore[operator]
        chosen.sort(key=lambda m: (-abs(m.effect or 0.0), m.indicator.position))
        return chosen[:TOP]


@dataclass(frozen=True)
class IndicatorAverage:
    """The partners' average score on one indicator in two editions, over the regions scored
    on it in both, in points (0..100) to one decimal as shown."""

    indicator: Indicator
    regions: int
    before: float
    after: float

    @property
    def change(self) -> float:
        return shown(self.after - self.before)


@dataclass(frozen=True)
class Movers:
    before: BenchmarkEdition
    after: BenchmarkEdition
    regions: list[tuple[Standing, Standing]]  # (before, after), biggest rise first
    indicators: list[IndicatorAverage]  # biggest rise first

    def risers(self) -> list[tuple[Standing, Standing]]:
        return [pair for pair in self.regions if (pair[1].change or 0) > 0][:TOP]

    def fallers(self) -> list[tuple[Standing, Standing]]:
        falling = [pair for pair in self.regions if (pair[1].change or 0) < 0]
        return falling[::-1][:TOP]


def region_moves(
    bench: Benchmark, before: BenchmarkEdition, after: BenchmarkEdition, region: Region
) -> RegionMoves:
    old = bench.results(before, region)
    new = bench.results(after, region)
    old_scores = {r.indicator.code: r.score for r in old if r.score is not None}
    new_scores = {r.indicator.code: r.score for r in new if r.score is not None}
    # Effects only where the region has an index in both editions.
    effects = index_effects(old_scores, new_scores) if old_scores and new_scores else {}
    return RegionMoves(
        region=region,
        before=before,
        after=after,
        standing_before=bench.standing(before, region),
        standing_after=bench.standing(after, region),
        indicators=[
            IndicatorMove(o, n, effects.get(n.indicator.code))
            for o, n in zip(old, new, strict=True)
        ],
    )


def movers(bench: Benchmark, before: BenchmarkEdition, after: BenchmarkEdition) -> Movers:
    old = {s.region.id: s for s in bench.standings(before)}
    pairs = [(old[s.region.id], s) for s in bench.standings(after) if s.change is not None]
    pairs.sort(key=lambda pair: (-(pair[1].change or 0.0), pair[1].region.name))
    # Results are in indicator order, so position ``n`` is the same indicator in both lists.
    old_results = [bench.results(before, r) for r in bench.regions]
    new_results = [bench.results(after, r) for r in bench.regions]
    scored = {i.code for i in bench.scored_indicators(before)}
    scored &= {i.code for i in bench.scored_indicators(after)}
    averages = []
    for position, indicator in enumerate(bench.indicators):
        if indicator.code not in scored:
            continue
        both = [
            (o[position].score, n[position].score)
            for o, n in zip(old_results, new_results, strict=True)
            if o[position].score is not None and n[position].score is not None
        ]
        if both:
            averages.append(
                IndicatorAverage(
                    indicator,
                    len(both),
                    shown(statistics.fmean(o for o, _ in both) * 100),  # type: ignore[misc]
                    shown(statistics.fmean(n for _, n in both) * 100),  # type: ignore[misc]
                )
            )
    averages.sort(key=lambda a: (-a.change, a.indicator.position))
    return Movers(before, after, pairs, averages)
