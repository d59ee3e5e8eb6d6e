"""Benchmark arithmetic after the Regional Innovation Scoreboard method, as pure functions.

Input is a long table with the columns ``edition``, ``region``, ``indicator``, ``value``.
1. Each indicator is min-max normalised to 0..1 across the regions *and* editions that set the
   scale, so scores are comparable over time; where lower is better the scale is reversed. Once
   real editions exist, they alone set the scale: sample figures are scored on it and clipped to
   0..1, and an indicator without a real figure is left out everywhere, so the two never mix.
2. The composite index of a region in an edition is the mean of its available scores; it is
   shown as 0..100 points to one decimal, and that shown index is what ranks and changes use.
3. Regions are ranked per edition (equal shown indexes share a rank), and compared with the
   edition before: a change is the difference of the two shown indexes.

An indicator whose scale-setting values are all equal carries no information about differences
between regions; it gets no score (NaN) rather than an arbitrary one, and enters no composite.
The README's method section states the same rules for readers; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from commands.benchmark.results import strongest_and_weakest
from commands.benchmark.rules import NO_REAL_FIGURES, NO_SPREAD, shown


def indicator_scales(values: pd.DataFrame, reference: pd.Series | None = None) -> pd.DataFrame:
    """Per indicator with any value: ``low``, ``high`` and ``left_out`` ("" when it is scored).

    ``reference`` (a boolean mask over the rows) chooses the rows that set the scale; without
    one, or when it selects nothing, every row does.
    """
    rows = values if reference is None or not reference.any() else values[reference]
    bounds = rows.groupby("indicator")["value"].agg(low="min", high="max")
    scales = pd.DataFrame(index=pd.Index(values["indicator"].unique(), name="indicator"))
    scales = scales.join(bounds)
    scales["left_out"] = ""
    scales.loc[scales["high"] <= scales["low"], "left_out"] = NO_SPREAD
    scales.loc[scales["low"].isna(), "left_out"] = NO_REAL_FIGURES
    return scales


def normalise(
    values: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    reference: pd.Series | None = None,
) -> pd.DataFrame:
    """Add ``score`` in 0..1 (1 = best on the scale) and ``clipped`` (the score was cut to 0..1).

    Rows outside ``reference`` are scored on the reference rows' scale; where they lie beyond
    it their score is clipped to 0 or 1. Indicators left out (see ``indicator_scales``) get NaN.
    """
    return _scored_on(values, higher_is_better, indicator_scales(values, reference))


def _scored_on(
    values: pd.DataFrame, higher_is_better: Mapping[str, bool], scales: pd.DataFrame
) -> pd.DataFrame:
    scored = values.copy()
    kept = scales[scales["left_out"] == ""]
    low = scored["indicator"].map(kept["low"])
    span = scored["indicator"].map(kept["high"]) - low
    raw = (scored["value"] - low) / span
    clipped = raw.clip(0.0, 1.0)
    reversed_ = ~scored["indicator"].map(lambda code: higher_is_better.get(code, True)).astype(bool)
    scored["score"] = clipped.where(~reversed_, 1.0 - clipped)
    scored["clipped"] = (raw < 0.0) | (raw > 1.0)
    return scored


def composite_index(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per edition and region: ``composite`` (mean score), ``indicators`` (count) and
    ``index`` (the composite as shown: 0..100 points to one decimal)."""
    grouped = scores.dropna(subset=["score"]).groupby(["edition", "region"], sort=False)["score"]
    composites = grouped.agg(composite="mean", indicators="count").reset_index()
    composites["index"] = composites["composite"].map(lambda c: shown(c * 100))
    return composites


def rank_regions(composites: pd.DataFrame) -> pd.DataFrame:
    """Add ``rank`` (1 = best; equal shown indexes share the better rank) and ``of``."""
    ranked = composites.copy()
    ranked["rank"] = ranked.groupby("edition")["index"].rank(method="min", ascending=False)
    ranked["rank"] = ranked["rank"].astype("Int64")
    ranked["of"] = ranked.groupby("edition")["composite"].transform("count").astype("Int64")
    return ranked


def add_changes(ranked: pd.DataFrame, edition_order: Sequence[str]) -> pd.DataFrame:
    """Add ``change`` (composite minus the previous edition's), ``index_change`` (the shown
    index minus the previous shown index, in points) and ``rank_change`` (places up).

    All are missing for the first edition and for regions absent from the previous one.
    """
    position = {label: i for i, label in enumerate(edition_order)}
    changed = ranked.copy()
    changed["_position"] = changed["edition"].map(position)
    previous = changed[["region", "_position", "composite", "index", "rank"]].copy()
    previous["_position"] = previous["_position"] + 1
    previous = previous.rename(
        columns={
            "composite": "_previous_composite",
            "index": "_previous_index",
            "rank": "_previous_rank",
        }
    )
    changed = changed.merge(previous, on=["region", "_position"], how="left")
    changed["change"] = changed["composite"] - changed["_previous_composite"]
    changed["index_change"] = (changed["index"] - changed["_previous_index"]).map(
        lambda d: d if pd.isna(d) else shown(d)
    )
    changed["rank_change"] = (changed["_previous_rank"] - changed["rank"]).astype("Int64")
    return changed.drop(
        columns=["_position", "_previous_composite", "_previous_index", "_previous_rank"]
    )


def extremes(scores: pd.DataFrame, edition: str, region: str) -> tuple[list[str], list[str]]:
    """The region's strongest and weakest indicators in an edition, compared as shown (points to
    one decimal); ties give several."""
    own = scores[(scores["edition"] == edition) & (scores["region"] == region)].dropna(
        subset=["score"]
    )
    return strongest_and_weakest(zip(own["indicator"], own["score"], strict=True))


@dataclass(frozen=True)
class ScoredBenchmark:
    scores: pd.DataFrame  # edition, region, indicator, value, score, clipped
    # edition, region, composite, indicators, index, rank, of, change, index_change, rank_change
    standings: pd.DataFrame
    scales: pd.DataFrame  # per indicator: low, high, left_out


def score_benchmark(
    values: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    edition_order: Sequence[str],
    reference_editions: Sequence[str] | None = None,
) -> ScoredBenchmark:
    """Scores and standings; ``reference_editions`` set the scale (default: all editions)."""
    reference = None
    if reference_editions is not None:
        reference = values["edition"].isin(list(reference_editions))
    scales = indicator_scales(values, reference)
    scores = _scored_on(values, higher_is_better, scales)
    standings = add_changes(rank_regions(composite_index(scores)), edition_order)
    return ScoredBenchmark(scores=scores, standings=standings, scales=scales)
