"""The benchmark of one working group, loaded and scored, in terms the views can show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from commands.benchmark.cache import KeptWork, StampedCache
from commands.benchmark.results import (
    EditionResults,
    Score,
    ScoredResults,
    ScoringInput,
    score,
    strongest_and_weakest,
)
from commands.benchmark.rules import NO_FIGURES, NOT_IN_EDITION, yearly_rate
from storage.benchmark import BenchmarkData, benchmark_stamp, load_benchmark
from storage.models import BenchmarkEdition, Indicator, Region

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from commands.context import Context
    from commands.reply import Reply


@dataclass(frozen=True)
class Standing:
    region: Region
    composite: float | None  # 0..1, unrounded
    indicators: int
    rank: int | None
    of: int
    # The index as shown (0..100 points, one decimal) and its change since the previous edition:
    # the difference of the two shown indexes, so that a reply's change always adds up.
    index: float | None = None
    change: float | None = None
    rank_change: int | None = None  # places gained since the previous edition


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    value: float | None
    score: float | None  # 0..1
    clipped: bool = False  # a sample figure beyond the real editions' scale, counted as 0 or 1
    left_out: str = ""  # why the indicator has no score anywhere ("" when it is scored)


@dataclass(frozen=True)
class LeftOut:
    """An indicator with no score in an edition, and why."""

    indicator: Indicator
    reason: str  # NO_FIGURES, NO_REAL_FIGURES, NO_SPREAD or NOT_IN_EDITION


@dataclass(frozen=True)
class Rate:
    """The average yearly change of a region's index between two editions."""

    first: BenchmarkEdition
    first_index: float
    last: BenchmarkEdition
    last_index: float
    points_per_year: float


class Benchmark:
    """Scores of all editions; lookups by edition, region and indicator.

    A Benchmark never changes once built, so it is shared between requests (see
    ``commands.benchmark.cache``). It keeps the scores as plain Python data by edition, region
    and indicator (``commands.benchmark.results``): a reply that walks every edition (the
    yearly rate) costs a dictionary look-up per edition, and no reply needs pandas.
    """

    def __init__(self, data: BenchmarkData, scored: ScoredResults | None, has_real: bool = False):
        self.editions = data.editions
        self.indicators = data.indicators
        self.regions = data.regions
        # Real editions set the scale: sample editions are scored on it (and clipped to it).
        self.has_real = has_real
        self._scored = scored
        self._standings: dict[str, tuple[Standing, ...]] = {}
        self._extremes: dict[tuple[str, int], tuple[list[str], list[str]]] = {}
        # Replies drawn from this benchmark and its regions alone, by the words asked
        # (``commands.benchmark.command``): they last exactly as long as the scores.
        self.replies: dict[str, Reply] = {}

    @property
    def latest(self) -> BenchmarkEdition | None:
        with_values = self.editions_with_values()
        return with_values[-1] if with_values else None

    def editions_with_values(self) -> list[BenchmarkEdition]:
        return list(self._editions_with_values)

    @cached_property
    def _editions_with_values(self) -> tuple[BenchmarkEdition, ...]:
        scored = {} if self._scored is None else self._scored.editions
        return tuple(e for e in self.editions if e.label in scored)

    def _in(self, edition: BenchmarkEdition) -> EditionResults:
        """The edition's results (empty ones when it has no figures)."""
        assert self._scored is not None  # noqa: S101 - callers return early without scores
        return self._scored.editions.get(edition.label, NO_RESULTS)

    def previous(self, edition: BenchmarkEdition) -> BenchmarkEdition | None:
        with_values = self._editions_with_values
        index = with_values.index(edition)
        return with_values[index - 1] if index > 0 else None

    def standings(self, edition: BenchmarkEdition) -> list[Standing]:
        """Ranked regions first (best first), then regions without a composite."""
        if self._scored is None:
            return []
        found = self._standings.get(edition.label)
        if found is None:
            found = self._standings[edition.label] = tuple(self._rank(edition))
        return list(found)

    def _rank(self, edition: BenchmarkEdition) -> list[Standing]:
        by_region = self._in(edition).standings
        ranked = len(by_region)
        result = []
        for region in self.regions:
            row = by_region.get(region.id)
            if row is None:
                result.append(Standing(region, None, 0, None, ranked))
                continue
            # A standing row has the Standing's fields but the region: one field list, not two.
            result.append(Standing(region=region, **vars(row)))
        return sorted(result, key=lambda s: (s.rank is None, s.rank or 0, s.region.name))

    def standing(self, edition: BenchmarkEdition, region: Region) -> Standing:
        return next(s for s in self.standings(edition) if s.region.id == region.id)

    def results(self, edition: BenchmarkEdition, region: Region) -> list[IndicatorResult]:
        scores = self._region_scores(edition, region)
        reasons = self._scale_reasons()
        return [
            IndicatorResult(
                indicator,
                *scores.get(indicator.code, (None, None, False)),
                left_out=reasons.get(indicator.code, NO_FIGURES),
            )
            for indicator in self.indicators
        ]

    def scored_indicators(self, edition: BenchmarkEdition) -> list[Indicator]:
        """The indicators that carry information in an edition: some region has a score."""
        if self._scored is None:
            return []
        codes = self._in(edition).scored_codes
        return [i for i in self.indicators if i.code in codes]

    def left_out(self, edition: BenchmarkEdition) -> list[LeftOut]:
        """Every indicator without a score in the edition, with the reason."""
        scored = {i.code for i in self.scored_indicators(edition)}
        reasons = self._scale_reasons()
        return [
            LeftOut(i, reasons.get(i.code, NO_FIGURES) or NOT_IN_EDITION)
            for i in self.indicators
            if i.code not in scored
        ]

    def clipped(self, edition: BenchmarkEdition) -> int:
        """How many of the edition's scores were clipped to the real editions' scale."""
        if self._scored is None:
            return 0
        return self._in(edition).clipped

    def rate(self, edition: BenchmarkEdition, region: Region) -> Rate | None:
        """The region's average yearly index change from its first ranked edition up to
        ``edition``; None when it was ranked in fewer than two editions a year or more apart."""
        upto = self._editions_with_values
        upto = upto[: upto.index(edition) + 1]
        ranked = [(e, self.standing(e, region).index) for e in upto]
        ranked = [(e, index) for e, index in ranked if index is not None]
        if len(ranked) < 2:
            return None
        (first, first_index), (last, last_index) = ranked[0], ranked[-1]
        per_year = yearly_rate((first.year, first_index), (last.year, last_index))
        if per_year is None:
            return None
        return Rate(first, first_index, last, last_index, per_year)

    def extremes(
        self, edition: BenchmarkEdition, region: Region
    ) -> tuple[list[Indicator], list[Indicator]]:
        if self._scored is None:
            return [], []
        key = (edition.label, region.id)
        found = self._extremes.get(key)
        if found is None:
            figures = self._region_scores(edition, region).items()
            found = self._extremes[key] = strongest_and_weakest(
                (code, score) for code, (_, score, _) in figures if score is not None
            )
        strongest, weakest = found
        by_code = {i.code: i for i in self.indicators}
        return [by_code[c] for c in strongest], [by_code[c] for c in weakest]

    def indicator_results(
        self, edition: BenchmarkEdition, indicator: Indicator
    ) -> list[tuple[Region, IndicatorResult]]:
        """Every region's value and score on one indicator, best first, regions without a
        value last."""
        results = [(r, self._result(edition, r, indicator)) for r in self.regions]

        def order(item: tuple[Region, IndicatorResult]) -> tuple:
            region, result = item
            if result.value is None:
                return (1, 0.0, region.name)
            value = result.value
            return (0, -value if indicator.higher_is_better else value, region.name)

        return sorted(results, key=order)

    def median_scores(self, edition: BenchmarkEdition) -> dict[str, float | None]:
        """The partners' median score on each indicator in an edition."""
        medians: dict[str, float | None] = {i.code: None for i in self.indicators}
        if self._scored is None:
            return medians
        medians.update(self._in(edition).medians)
        return medians

    def median_composite(self, edition: BenchmarkEdition) -> float | None:
        composites = [s.composite for s in self.standings(edition) if s.composite is not None]
        if not composites:
            return None
        import statistics

        return statistics.median(composites)

    def _result(
        self, edition: BenchmarkEdition, region: Region, indicator: Indicator
    ) -> IndicatorResult:
        found = self._region_scores(edition, region).get(indicator.code, (None, None, False))
        reason = self._scale_reasons().get(indicator.code, NO_FIGURES)
        return IndicatorResult(indicator, *found, left_out=reason)

    def _scale_reasons(self) -> Mapping[str, str]:
        """Per indicator with any figure: why it is left out of every index, or ""."""
        return {} if self._scored is None else self._scored.reasons

    def _region_scores(self, edition: BenchmarkEdition, region: Region) -> Mapping[str, Score]:
        if self._scored is None:
            return {}
        return self._in(edition).scores.get(region.id, {})


NO_RESULTS = EditionResults(
    scores={}, standings={}, scored_codes=frozenset(), medians={}, clipped=0
)


# The scored benchmark of each group, shared by every request of this process.
SCORED: StampedCache[Benchmark] = StampedCache()
# Scores by the figures they were computed from: a new benchmark version with the same figures
# (a region renamed, an alias added, another group seeded with the same sample) is not scored
# again. Few: with years of editions one holds every region's scores in every edition.
SCORES = KeptWork(4)


def load(ctx: Context, *, session: Session | None = None, stamp: str | None = None) -> Benchmark:
    """The group's scored benchmark: kept from an earlier request while its editions,
    indicators and regions are unchanged, else read and scored afresh; on ``session`` when
    the caller reads more in it. ``stamp``: the group's benchmark version as the caller read
    it before (``ctx.benchmark_version``, for a command that writes nothing), else read here."""
    if session is not None:
        return load_in(session, ctx.group_id, stamp)
    with ctx.sessions() as own:
        return load_in(own, ctx.group_id, stamp)


def load_in(session: Session, group_id: int, stamp: str | None = None) -> Benchmark:
    """``load`` on a session of the caller's (the reminder dispatcher's, say)."""
    # The stamp is read before the data: data newer than its stamp is only rebuilt once
    # more, while the other way round would keep old scores under a new stamp.
    if stamp is None:
        stamp = benchmark_stamp(session=session, group_id=group_id)
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    return SCORED.get(
        (database, group_id),
        stamp,
        lambda: scored(load_benchmark(session=session, group_id=group_id)),
    )


def scored(data: BenchmarkData) -> Benchmark:
    """Score loaded benchmark data: in a worker process when this process has a pool
    (``commands.offload``), so that it never imports pandas, else in place; not at all when
    the same figures were scored lately (``SCORES``)."""
    if not data.values:
        return Benchmark(data, None)
    editions = {e.id: e.label for e in data.editions}
    codes = {i.id: i.code for i in data.indicators}
    labels = [editions[v.edition_id] for v in data.values]
    # Real editions alone set the scale once there are any: sample figures must not move them.
    with_values = set(labels)
    real = [e.label for e in data.editions if not e.is_sample and e.label in with_values]
    given = ScoringInput(
        edition=labels,
        region=[v.region_id for v in data.values],
        indicator=[codes[v.indicator_id] for v in data.values],
        value=[v.value for v in data.values],
        higher_is_better={i.code: i.higher_is_better for i in data.indicators},
        edition_order=[e.label for e in data.editions if e.label in with_values],
        reference_editions=real or None,
    )
    return Benchmark(data, SCORES.run(score, given), has_real=bool(real))
