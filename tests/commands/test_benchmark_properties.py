"""Properties of the benchmark arithmetic for random editions, regions, missing cells and
directions (issue 15): the index stays within 0–100, does not depend on the order of rows or
on an indicator's unit, a better raw value never lowers a region's score, and ranks agree with
the index.

Values are small integers and units change by powers of ten, so rescaled figures are exact and
the properties hold exactly, not only up to floating-point noise. The profile is derandomised
and bounded: the same examples every run, in a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.benchmark.math import ScoredBenchmark, score_benchmark

PROPERTIES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EDITIONS = ("E1", "E2", "E3")
COLUMNS = ["edition", "region", "indicator", "value"]


@dataclass(frozen=True)
class Case:
    rows: list[tuple[str, str, str, int]]
    directions: dict[str, bool]
    editions: list[str]
    reference: list[str] | None  # the real editions, or None when all are samples

    def frame(self, rows=None) -> pd.DataFrame:
        return pd.DataFrame(rows if rows is not None else self.rows, columns=COLUMNS)

    def score(self, rows=None) -> ScoredBenchmark:
        return score_benchmark(self.frame(rows), self.directions, self.editions, self.reference)


@st.composite
def cases(draw) -> Case:
    editions = list(EDITIONS[: draw(st.integers(1, 3))])
    regions = [f"R{i}" for i in range(draw(st.integers(2, 6)))]
    indicators = [f"I{i}" for i in range(draw(st.integers(1, 4)))]
    directions = {code: draw(st.booleans()) for code in indicators}
    cell = st.one_of(st.none(), st.integers(0, 20))  # None: the region has no figure
    rows = [
        (edition, region, indicator, value)
        for edition in editions
        for region in regions
        for indicator in indicators
        if (value := draw(cell)) is not None
    ]
    if not rows:
        rows = [(editions[0], regions[0], indicators[0], draw(st.integers(0, 20)))]
    real = draw(st.lists(st.sampled_from(editions), unique=True))
    return Case(rows, directions, editions, real or None)


def standings(scored: ScoredBenchmark) -> list[tuple]:
    table = scored.standings.sort_values(["edition", "region"])
    return [
        (row.edition, row.region, row.indicators, row.index, int(row.rank))
        for row in table.itertuples(index=False)
    ]


def scores(scored: ScoredBenchmark) -> dict[tuple, float | None]:
    return {
        (row.edition, row.region, row.indicator): None if pd.isna(row.score) else row.score
        for row in scored.scores.itertuples(index=False)
    }


@PROPERTIES
@given(cases())
def test_scores_and_the_index_stay_within_their_range(case):
    scored = case.score()
    known = scored.scores["score"].dropna()
    assert ((known >= 0.0) & (known <= 1.0)).all()
    assert ((scored.standings["index"] >= 0.0) & (scored.standings["index"] <= 100.0)).all()
    assert ((scored.standings["composite"] >= 0.0) & (scored.standings["composite"] <= 1.0)).all()


@PROPERTIES
@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_rows_changes_nothing(case, random):
    shuffled = list(case.rows)
    random.shuffle(shuffled)
    base, other = case.score(), case.score(shuffled)
    assert standings(other) == standings(base)
    assert scores(other) == pytest.approx(scores(base))


@PROPERTIES
@given(cases(), st.data())
def test_an_indicators_unit_changes_nothing(case, data):
    indicator = data.draw(st.sampled_from(sorted({row[2] for row in case.rows})))
    factor = data.draw(st.sampled_from([10, 100, 1000, 1_000_000]))
    rescaled = [(e, r, i, v * factor if i == indicator else v) for e, r, i, v in case.rows]
    base, other = case.score(), case.score(rescaled)
    assert standings(other) == standings(base)
    assert scores(other) == scores(base)


@PROPERTIES
@given(cases(), st.data())
def test_a_better_raw_value_never_lowers_a_regions_score(case, data):
    position = data.draw(st.integers(0, len(case.rows) - 1))
    edition, region, indicator, value = case.rows[position]
    step = data.draw(st.integers(1, 10))
    better = value + step if case.directions[indicator] else value - step
    improved = list(case.rows)
    improved[position] = (edition, region, indicator, better)

    base, other = case.score(), case.score(improved)
    before, after = scores(base), scores(other)
    key = (edition, region, indicator)
    if before[key] is not None and after[key] is not None:
        assert after[key] >= before[key]

    def own(scored: ScoredBenchmark) -> tuple[float, float] | None:
        table = scored.standings
        row = table[(table.edition == edition) & (table.region == region)]
        return None if row.empty else (row.composite.iloc[0], row["index"].iloc[0])

    old, new = own(base), own(other)
    if old is not None and new is not None:
        assert new[0] >= old[0] - 1e-12
        assert new[1] >= old[1]


@PROPERTIES
@given(cases())
def test_ranks_agree_with_the_index(case):
    table = case.score().standings
    for _, edition in table.groupby("edition"):
        indexes = edition["index"].tolist()
        for index, rank in zip(indexes, edition["rank"], strict=True):
            # 1 + the number of regions with a higher index: equal indexes share the rank.
            assert rank == 1 + sum(1 for other in indexes if other > index)
        assert set(edition["of"]) == {len(edition)}
