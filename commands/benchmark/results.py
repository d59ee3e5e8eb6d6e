"""The scored benchmark as plain Python data: what the replies read, without pandas.

Scoring (``commands.benchmark.math``) needs pandas, and pandas with numpy is some 45 MB of a
process that imports them, for good. ``score`` therefore runs where ``commands.offload.run``
puts it (a worker process when the web process has a pool, in place elsewhere), and converts
the scored tables once into dictionaries and tuples of floats, ints, strings and None per
edition, region and indicator. That is all a ``Benchmark`` keeps; every reply is a look-up in
it, and the web process that unpickles it never imports pandas or numpy.

Nothing here imports pandas at module level: the web process imports this module to read
the results a worker sends back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.benchmark.rules import shown

if TYPE_CHECKING:
    from commands.benchmark.math import ScoredBenchmark

# An indicator's figure in one edition and region: value, score (0..1, None when the indicator
# is left out) and whether the score was clipped to the real editions' scale.
Score = tuple[float, float | None, bool]


@dataclass(frozen=True)
class StandingRow:
    """A region's ranked composite in an edition, as the scored standings table has it: the
    fields of ``model.Standing`` but its region (the model builds one from the other)."""

    composite: float  # 0..1, unrounded
    indicators: int
    rank: int
    of: int
    index: float  # as shown: 0..100 points, one decimal
    change: float | None  # the shown index minus the previous edition's
    rank_change: int | None  # places gained since the previous edition


@dataclass(frozen=True)
class EditionResults:
    # Per region id: its figures by indicator code, in the order the figures were read.
    scores: Mapping[int, Mapping[str, Score]]
    standings: Mapping[int, StandingRow]  # per ranked region id
    scored_codes: frozenset[str]  # indicators some region has a score on
    medians: Mapping[str, float]  # the partners' median score, per scored indicator
    clipped: int  # how many scores were clipped


@dataclass(frozen=True)
class ScoredResults:
    editions: Mapping[str, EditionResults]  # per edition label with any figure
    reasons: Mapping[str, str]  # per indicator with a figure: why it is left out, or ""


@dataclass(frozen=True)
class ScoringInput:
    """The figures to score, as plain columns (picklable, no database rows)."""

    edition: list[str]
    region: list[int]
    indicator: list[str]
    value: list[float]
    higher_is_better: dict[str, bool]
    edition_order: list[str]
    reference_editions: list[str] | None  # the editions that set the scale (None: all)


def score(given: ScoringInput) -> ScoredResults:
    """Score the figures (with pandas) and convert the result to plain data."""
    import pandas as pd

    from commands.benchmark.math import score_benchmark

    frame = pd.DataFrame(
        {
            "edition": given.edition,
            "region": given.region,
            "indicator": given.indicator,
            "value": given.value,
        }
    )
    scored = score_benchmark(
        frame, given.higher_is_better, given.edition_order, given.reference_editions
    )
    return plain(scored)


def plain(scored: ScoredBenchmark) -> ScoredResults:
    """The scored tables as dictionaries and tuples of Python numbers."""
    scores: dict[str, dict[int, dict[str, Score]]] = {}
    codes: dict[str, set[str]] = {}
    clipped: dict[str, int] = {}
    for row in scored.scores.itertuples(index=False):
        edition = str(row.edition)
        score = _optional_float(row.score)
        by_region = scores.setdefault(edition, {})
        by_region.setdefault(int(row.region), {})[str(row.indicator)] = (
            float(row.value),
            score,
            bool(row.clipped),
        )
        found = codes.setdefault(edition, set())
        if score is not None:
            found.add(str(row.indicator))
        clipped[edition] = clipped.get(edition, 0) + bool(row.clipped)
    standings: dict[str, dict[int, StandingRow]] = {}
    for row in scored.standings.itertuples(index=False):
        standings.setdefault(str(row.edition), {})[int(row.region)] = StandingRow(
            composite=float(row.composite),
            indicators=int(row.indicators),
            rank=int(row.rank),
            of=int(row.of),
            index=float(row.index),
            change=_optional_float(row.index_change),
            rank_change=_optional_int(row.rank_change),
        )
    medians: dict[str, dict[str, float]] = {}
    known = scored.scores.dropna(subset=["score"])
    by_indicator = known.groupby(["edition", "indicator"], sort=False)["score"].median()
    for (edition, code), median in by_indicator.items():
        medians.setdefault(str(edition), {})[str(code)] = float(median)
    return ScoredResults(
        editions={
            edition: EditionResults(
                scores=by_region,
                standings=standings.get(edition, {}),
                scored_codes=frozenset(codes[edition]),
                medians=medians.get(edition, {}),
                clipped=clipped[edition],
            )
            for edition, by_region in scores.items()
        },
        reasons={str(code): str(reason) for code, reason in scored.scales["left_out"].items()},
    )


def strongest_and_weakest(scores: Iterable[tuple[str, float]]) -> tuple[list[str], list[str]]:
    """The indicators with the highest and the lowest score, compared as shown (points to one
    decimal); ties give several, in the order given."""
    points = [(code, shown(score * 100)) for code, score in scores]
    if not points:
        return [], []
    best = max(p for _, p in points)
    worst = min(p for _, p in points)
    return [c for c, p in points if p == best], [c for c, p in points if p == worst]


def _optional_int(value: object) -> int | None:
    number = _optional_float(value)
    return None if number is None else int(number)


def _optional_float(value: object) -> float | None:
    """A float, or None for pandas' missing markers (NaN, NA)."""
    import pandas as pd

    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]
