"""Benchmark arithmetic after the Regional Innovation Scoreboard method, as pure functions.

Input is a long table with the columns ``edition``, ``region``, ``indicator``, ``value``.
1. Each indicator is min-max normalised to 0..1 across all regions *and* editions, so scores
   are comparable over time; where lower is better the scale is reversed. Once real editions
   exist, they alone set the scale, so illustrative sample figures never move a real score.
2. The composite index of a region in an edition is the mean of its available scores.
3. Regions are ranked per edition (ties share a rank), and compared with the edition before.

An indicator whose values are all equal carries no information about differences between
regions; it gets no score (NaN) rather than an arbitrary one, and so does not enter composites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

# Composites are means of floats; rounding before ranking keeps equal means tied.
_RANK_DECIMALS = 9


def normalise(
    values: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    reference: pd.Series | None = None,
) -> pd.DataFrame:
    """Add a ``score`` column in 0..1 (1 = best among all regions and editions).

    ``reference`` (a boolean mask over the rows) chooses the rows that set each indicator's
    minimum and maximum; rows outside it are scored on that scale and clipped to 0..1. An
    indicator without reference rows is scaled on all of its rows.
    """
    scored = values.copy()
    everything = scored.groupby("indicator")["value"].agg(["min", "max"])
    bounds = everything
    if reference is not None and reference.any():
        chosen = scored[reference].groupby("indicator")["value"].agg(["min", "max"])
        bounds = chosen.combine_first(everything)
    low = scored["indicator"].map(bounds["min"])
    span = scored["indicator"].map(bounds["max"]) - low
    score = ((scored["value"] - low) / span.where(span > 0)).clip(0.0, 1.0)
    reversed_ = ~scored["indicator"].map(lambda code: higher_is_better.get(code, True)).astype(bool)
    scored["score"] = score.where(~reversed_, 1.0 - score)
    return scored


def composite_index(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per edition and region: ``composite`` (mean score) and ``indicators`` (count)."""
    grouped = scores.dropna(subset=["score"]).groupby(["edition", "region"], sort=False)["score"]
    return grouped.agg(composite="mean", indicators="count").reset_index()


def rank_regions(composites: pd.DataFrame) -> pd.DataFrame:
    """Add ``rank`` (1 = best; ties share the better rank) and ``of`` (regions ranked)."""
    ranked = composites.copy()
    rounded = ranked["composite"].round(_RANK_DECIMALS)
    ranked["rank"] = rounded.groupby(ranked["edition"]).rank(method="min", ascending=False)
    ranked["rank"] = ranked["rank"].astype("Int64")
    ranked["of"] = ranked.groupby("edition")["composite"].transform("count").astype("Int64")
    return ranked


def add_changes(ranked: pd.DataFrame, edition_order: Sequence[str]) -> pd.DataFrame:
    """Add ``change`` (composite minus the previous edition's) and ``rank_change`` (places up).

    Both are missing for the first edition and for regions absent from the previous one.
    """
    position = {label: i for i, label in enumerate(edition_order)}
    changed = ranked.copy()
    changed["_position"] = changed["edition"].map(position)
    previous = changed[["region", "_position", "composite", "rank"]].copy()
    previous["_position"] = previous["_position"] + 1
    previous = previous.rename(
        columns={"composite": "_previous_composite", "rank": "_previous_rank"}
    )
    changed = changed.merge(previous, on=["region", "_position"], how="left")
    changed["change"] = changed["composite"] - changed["_previous_composite"]
    changed["rank_change"] = (changed["_previous_rank"] - changed["rank"]).astype("Int64")
    return changed.drop(columns=["_position", "_previous_composite", "_previous_rank"])


def extremes(scores: pd.DataFrame, edition: str, region: str) -> tuple[list[str], list[str]]:
    """The region's strongest and weakest indicators in an edition; ties give several."""
    own = scores[(scores["edition"] == edition) & (scores["region"] == region)].dropna(
        subset=["score"]
    )
    if own.empty:
        return [], []
    rounded = own["score"].round(_RANK_DECIMALS)
    strongest = own.loc[rounded == rounded.max(), "indicator"].tolist()
    weakest = own.loc[rounded == rounded.min(), "indicator"].tolist()
    return strongest, weakest


@dataclass(frozen=True)
class ScoredBenchmark:
    scores: pd.DataFrame  # edition, region, indicator, value, score
    standings: pd.DataFrame  # edition, region, composite, indicators, rank, of, change, rank_change


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
    scores = normalise(values, higher_is_better, reference)
    standings = add_changes(rank_regions(composite_index(scores)), edition_order)
    return ScoredBenchmark(scores=scores, standings=standings)
