"""The benchmark of one working group, loaded and scored, in terms the views can show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.benchmark import BenchmarkData, load_benchmark
from storage.models import BenchmarkEdition, Indicator, Region

if TYPE_CHECKING:
    from commands.benchmark.math import ScoredBenchmark
    from commands.context import Context


@dataclass(frozen=True)
class Standing:
    region: Region
    composite: float | None  # 0..1
    indicators: int
    rank: int | None
    of: int
    change: float | None  # composite points since the previous edition
    rank_change: int | None  # places gained since the previous edition


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    value: float | None
    score: float | None  # 0..1


class Benchmark:
    """Scores of all editions; lookups by edition, region and indicator."""

    def __init__(self, data: BenchmarkData, scored: ScoredBenchmark | None):
        self.editions = data.editions
        self.indicators = data.indicators
        self.regions = data.regions
        self._scored = scored

    @property
    def latest(self) -> BenchmarkEdition | None:
        with_values = self.editions_with_values()
        return with_values[-1] if with_values else None

    def editions_with_values(self) -> list[BenchmarkEdition]:
        if self._scored is None:
            return []
        labels = set(self._scored.scores["edition"])
        return [e for e in self.editions if e.label in labels]

    def previous(self, edition: BenchmarkEdition) -> BenchmarkEdition | None:
        with_values = self.editions_with_values()
        index = with_values.index(edition)
        return with_values[index - 1] if index > 0 else None

    def standings(self, edition: BenchmarkEdition) -> list[Standing]:
        """Ranked regions first (best first), then regions without a composite."""
        if self._scored is None:
            return []
        table = self._scored.standings
        rows = table[table["edition"] == edition.label]
        by_region = {int(row.region): row for row in rows.itertuples(index=False)}
        ranked = len(rows)
        result = []
        for region in self.regions:
            row = by_region.get(region.id)
            if row is None:
                result.append(Standing(region, None, 0, None, ranked, None, None))
                continue
            result.append(
                Standing(
                    region=region,
                    composite=float(row.composite),
                    indicators=int(row.indicators),
                    rank=int(row.rank),
                    of=int(row.of),
                    change=_optional_float(row.change),
                    rank_change=_optional_int(row.rank_change),
                )
            )
        return sorted(result, key=lambda s: (s.rank is None, s.rank or 0, s.region.name))

    def standing(self, edition: BenchmarkEdition, region: Region) -> Standing:
        return next(s for s in self.standings(edition) if s.region.id == region.id)

    def results(self, edition: BenchmarkEdition, region: Region) -> list[IndicatorResult]:
        scores = self._region_scores(edition, region)
        return [
            IndicatorResult(indicator, *scores.get(indicator.code, (None, None)))
            for indicator in self.indicators
        ]

    def extremes(
        self, edition: BenchmarkEdition, region: Region
    ) -> tuple[list[Indicator], list[Indicator]]:
        from commands.benchmark.math import extremes

        if self._scored is None:
            return [], []
        strongest, weakest = extremes(self._scored.scores, edition.label, region.id)
        by_code = {i.code: i for i in self.indicators}
        return [by_code[c] for c in strongest], [by_code[c] for c in weakest]

    def indicator_results(
        self, edition: BenchmarkEdition, indicator: Indicator
    ) -> list[tuple[Region, float | None, float | None]]:
        """Every region's value and score on one indicator, best first, regions without a
        value last."""
        found: dict[int, tuple[float, float | None]] = {}
        if self._scored is not None:
            table = self._scored.scores
            rows = table[
                (table["edition"] == edition.label) & (table["indicator"] == indicator.code)
            ]
            found = {
                int(row.region): (float(row.value), _optional_float(row.score))
                for row in rows.itertuples(index=False)
            }
        results = [(r, *found.get(r.id, (None, None))) for r in self.regions]

        def order(item: tuple[Region, float | None, float | None]) -> tuple:
            region, value, _ = item
            if value is None:
                return (1, 0.0, region.name)
            return (0, -value if indicator.higher_is_better else value, region.name)

        return sorted(results, key=order)

    def median_scores(self, edition: BenchmarkEdition) -> dict[str, float | None]:
        """The partners' median score on each indicator in an edition."""
        medians: dict[str, float | None] = {i.code: None for i in self.indicators}
        if self._scored is None:
            return medians
        table = self._scored.scores
        rows = table[table["edition"] == edition.label].dropna(subset=["score"])
        for code, score in rows.groupby("indicator")["score"].median().items():
            medians[str(code)] = float(score)
        return medians

    def median_composite(self, edition: BenchmarkEdition) -> float | None:
        composites = [s.composite for s in self.standings(edition) if s.composite is not None]
        if not composites:
            return None
        import statistics

        return statistics.median(composites)

    def _region_scores(
        self, edition: BenchmarkEdition, region: Region
    ) -> dict[str, tuple[float, float | None]]:
        if self._scored is None:
            return {}
        table = self._scored.scores
        rows = table[(table["edition"] == edition.label) & (table["region"] == region.id)]
        return {
            row.indicator: (float(row.value), _optional_float(row.score))
            for row in rows.itertuples(index=False)
        }


def _optional_int(value: object) -> int | None:
    number = _optional_float(value)
    return None if number is None else int(number)


def _optional_float(value: object) -> float | None:
    """A float, or None for pandas' missing markers (NaN, NA)."""
    import pandas as pd

    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def load(ctx: Context) -> Benchmark:
    """Read and score the group's benchmark (pandas is imported only here, when needed)."""
    with ctx.sessions() as session:
        data = load_benchmark(session=session, group_id=ctx.group_id)
    if not data.values:
        return Benchmark(data, None)

    import pandas as pd

    from commands.benchmark.math import score_benchmark

    editions = {e.id: e.label for e in data.editions}
    codes = {i.id: i.code for i in data.indicators}
    frame = pd.DataFrame(
        {
            "edition": [editions[v.edition_id] for v in data.values],
            "region": [v.region_id for v in data.values],
            "indicator": [codes[v.indicator_id] for v in data.values],
            "value": [v.value for v in data.values],
        }
    )
    directions = {i.code: i.higher_is_better for i in data.indicators}
    # Real editions alone set the scale once there are any: sample figures must not move them.
    real = [e.label for e in data.editions if not e.is_sample]
    scored = score_benchmark(
        frame, directions, [e.label for e in data.editions], reference_editions=real or None
    )
    return Benchmark(data, scored)
