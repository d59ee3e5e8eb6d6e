"""The RIS-style arithmetic against values computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from commands.benchmark.math import (
    add_changes,
    composite_index,
    extremes,
    indicator_scales,
    normalise,
    rank_regions,
    score_benchmark,
)
from commands.benchmark.rules import (
    NO_REAL_FIGURES,
    NO_SPREAD,
    index_effects,
    shown,
    yearly_rate,
)

COLUMNS = ["edition", "region", "indicator", "value"]
# GOOD: higher is better, spans 10..30; SLOW: lower is better, spans 6..12.
TWO_EDITIONS = [
    ("2010", "A", "GOOD", 10),
    ("2010", "B", "GOOD", 20),
    ("2012", "A", "GOOD", 30),
    ("2012", "B", "GOOD", 25),
    ("2010", "A", "SLOW", 12),
    ("2010", "B", "SLOW", 6),
    ("2012", "A", "SLOW", 9),
    ("2012", "B", "SLOW", 6),
]


def frame(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def score_of(scores, edition, region, indicator):
    row = scores[
        (scores.edition == edition) & (scores.region == region) & (scores.indicator == indicator)
    ]
    return float(row.score.iloc[0])


def standing(table, edition, region):
    return table[(table.edition == edition) & (table.region == region)].iloc[0]


def test_min_max_across_regions_and_editions_and_reversed_where_lower_is_better():
    values = frame(TWO_EDITIONS)
    scores = normalise(values, {"GOOD": True, "SLOW": False})
    # GOOD spans 10..30 over both editions
    assert score_of(scores, "2010", "A", "GOOD") == 0.0
    assert score_of(scores, "2010", "B", "GOOD") == pytest.approx(0.5)
    assert score_of(scores, "2012", "A", "GOOD") == 1.0
    assert score_of(scores, "2012", "B", "GOOD") == pytest.approx(0.75)
    # SLOW spans 6..12 and lower is better: 6 -> 1, 12 -> 0, 9 -> 0.5
    assert score_of(scores, "2010", "A", "SLOW") == 0.0
    assert score_of(scores, "2010", "B", "SLOW") == 1.0
    assert score_of(scores, "2012", "A", "SLOW") == pytest.approx(0.5)


def test_composite_is_the_mean_and_ranks_change_between_editions():
    values = frame(TWO_EDITIONS)
    result = score_benchmark(values, {"GOOD": True, "SLOW": False}, ["2010", "2012"])
    table = result.standings
    # A: 2010 (0 + 0)/2 = 0;      2012 (1 + 0.5)/2 = 0.75
    # B: 2010 (0.5 + 1)/2 = 0.75; 2012 (0.75 + 1)/2 = 0.875
    assert standing(table, "2010", "A").composite == 0.0
    assert standing(table, "2010", "B").composite == pytest.approx(0.75)
    assert standing(table, "2012", "A").composite == pytest.approx(0.75)
    assert standing(table, "2012", "B").composite == pytest.approx(0.875)
    assert standing(table, "2010", "B")["rank"] == 1
    assert standing(table, "2012", "B")["rank"] == 1
    assert standing(table, "2012", "A")["rank"] == 2
    assert standing(table, "2012", "A").change == pytest.approx(0.75)
    assert standing(table, "2012", "B").change == pytest.approx(0.125)
    assert standing(table, "2012", "A").rank_change == 0
    assert pd.isna(standing(table, "2010", "A").change)
    assert pd.isna(standing(table, "2010", "A").rank_change)


def test_ties_share_the_better_rank_and_the_next_rank_is_skipped():
    values = frame(
        [
            ("E", "A", "X", 4),
            ("E", "B", "X", 4),
            ("E", "C", "X", 1),
            ("E", "A", "Y", 1),
            ("E", "B", "Y", 1),
            ("E", "C", "Y", 0),
            ("E", "D", "X", 0),
            ("E", "D", "Y", 0),
        ]
    )
    table = rank_regions(composite_index(normalise(values, {"X": True, "Y": True})))
    # A and B: (1 + 1)/2 = 1; C: (0.25 + 0)/2 = 0.125; D: 0
    assert standing(table, "E", "A")["rank"] == 1
    assert standing(table, "E", "B")["rank"] == 1
    assert standing(table, "E", "C")["rank"] == 3
    assert standing(table, "E", "D")["rank"] == 4
    assert set(table["of"]) == {4}


def test_a_missing_value_is_left_out_of_the_mean_not_counted_as_zero():
    values = frame(
        [
            ("E", "A", "X", 10),
            ("E", "B", "X", 0),
            ("E", "A", "Y", 0),
            ("E", "B", "Y", 10),
            ("E", "A", "Z", 5),  # B reported no Z
            ("E", "C", "Z", 15),
            ("E", "C", "X", 5),
        ]
    )
    table = composite_index(normalise(values, {"X": True, "Y": True, "Z": True}))
    b = standing(table, "E", "B")
    # B: X 0, Y 1 -> 0.5 over two indicators
    assert b.composite == pytest.approx(0.5)
    assert b.indicators == 2
    # A: X 1, Y 0, Z 0 (5 is the minimum of 5..15) -> 1/3
    assert standing(table, "E", "A").composite == pytest.approx(1 / 3)


def test_a_single_edition_has_no_change():
    values = frame([("E", "A", "X", 1), ("E", "B", "X", 3)])
    table = score_benchmark(values, {"X": True}, ["E"]).standings
    assert table["change"].isna().all()
    assert table["rank_change"].isna().all()
    assert list(table.sort_values("rank").region) == ["B", "A"]


def test_region_absent_from_the_previous_edition_has_no_change():
    values = frame(
        [
            ("2010", "A", "X", 1),
            ("2010", "B", "X", 3),
            ("2012", "A", "X", 2),
            ("2012", "B", "X", 3),
            ("2012", "C", "X", 0),
        ]
    )
    table = score_benchmark(values, {"X": True}, ["2010", "2012"]).standings
    assert pd.isna(standing(table, "2012", "C").change)
    assert standing(table, "2012", "A").change == pytest.approx(1 / 3)


def test_change_is_against_the_edition_just_before_not_the_first():
    values = frame(
        [
            (e, r, "X", v)
            for e, r, v in [
                ("2008", "A", 0),
                ("2008", "B", 10),
                ("2010", "A", 5),
                ("2010", "B", 10),
                ("2012", "A", 10),
                ("2012", "B", 0),
            ]
        ]
    )
    table = score_benchmark(values, {"X": True}, ["2008", "2010", "2012"]).standings
    assert standing(table, "2012", "A").change == pytest.approx(0.5)  # 1.0 - 0.5, not 1.0 - 0
    assert standing(table, "2012", "A").rank_change == 1


def test_an_indicator_without_spread_gets_no_score_and_leaves_composites_alone():
    values = frame(
        [
            ("E", "A", "X", 3),
            ("E", "B", "X", 3),
            ("E", "A", "Y", 1),
            ("E", "B", "Y", 2),
        ]
    )
    scores = normalise(values, {"X": True, "Y": True})
    assert math.isnan(score_of(scores, "E", "A", "X"))
    table = composite_index(scores)
    assert standing(table, "E", "A").composite == 0.0
    assert standing(table, "E", "B").composite == 1.0
    assert set(table.indicators) == {1}


def test_strongest_and_weakest_include_every_tied_indicator():
    values = frame(
        [
            ("E", "A", "X", 10),
            ("E", "B", "X", 0),
            ("E", "A", "Y", 10),
            ("E", "B", "Y", 0),
            ("E", "A", "Z", 5),
            ("E", "B", "Z", 10),
        ]
    )
    scores = normalise(values, {"X": True, "Y": True, "Z": True})
    strongest, weakest = extremes(scores, "E", "A")
    assert strongest == ["X", "Y"]
    assert weakest == ["Z"]
    assert extremes(scores, "E", "nobody") == ([], [])


def test_add_changes_keeps_every_row():
    values = frame([("1", "A", "X", 1), ("1", "B", "X", 2), ("2", "A", "X", 3)])
    ranked = rank_regions(composite_index(normalise(values, {"X": True})))
    assert len(add_changes(ranked, ["1", "2"])) == len(ranked)


# --- the rules issue 15 made exact ---------------------------------------------------------


def test_an_indicator_without_reference_figures_is_left_out_of_every_edition():
    # Y has figures only in the sample edition "S"; the real edition "R" sets the scale.
    values = frame(
        [
            ("S", "A", "X", 0),
            ("S", "B", "X", 40),
            ("S", "A", "Y", 1),
            ("S", "B", "Y", 9),
            ("R", "A", "X", 10),
            ("R", "B", "X", 30),
        ]
    )
    result = score_benchmark(values, {"X": True, "Y": True}, ["S", "R"], reference_editions=["R"])
    assert result.scales.loc["Y", "left_out"] == NO_REAL_FIGURES
    assert result.scores[result.scores.indicator == "Y"].score.isna().all()
    # Sample scores on the real scale 10..30, clipped: A 0 (below), B 1 (above).
    assert score_of(result.scores, "S", "A", "X") == 0.0
    assert score_of(result.scores, "S", "B", "X") == 1.0
    assert result.scores[result.scores.edition == "S"].clipped.tolist() == [
        True,
        True,
        False,
        False,
    ]
    assert set(result.standings.indicators) == {1}


def test_an_indicator_without_spread_in_the_reference_is_left_out_even_with_sample_spread():
    values = frame([("S", "A", "X", 1), ("S", "B", "X", 5), ("R", "A", "X", 3), ("R", "B", "X", 3)])
    scales = indicator_scales(values, values.edition == "R")
    assert scales.loc["X", "left_out"] == NO_SPREAD


def test_ranks_and_changes_use_the_index_as_shown():
    # One indicator on 0..10000: a value of 2966 is an index of 29.66, shown as 29.7.
    values = frame(
        [
            ("1", "B", "X", 2966),
            ("1", "C", "X", 10000),
            ("2", "A", "X", 2811),
            ("2", "B", "X", 2814),
            ("2", "C", "X", 10000),
            ("2", "D", "X", 0),
        ]
    )
    table = score_benchmark(values, {"X": True}, ["1", "2"]).standings
    # A (28.11) and B (28.14) both show 28.1: they share the rank.
    assert standing(table, "2", "A")["index"] == standing(table, "2", "B")["index"] == 28.1
    assert standing(table, "2", "A")["rank"] == standing(table, "2", "B")["rank"] == 2
    assert standing(table, "2", "D")["rank"] == 4
    # B: 29.7 -> 28.1 is a change of -1.6, though the unrounded indexes differ by 1.52.
    assert standing(table, "1", "B")["index"] == 29.7
    assert standing(table, "2", "B")["index_change"] == -1.6
    assert standing(table, "2", "B")["change"] == pytest.approx(-0.0152)


@pytest.mark.parametrize(
    ("points", "decimals", "expected"),
    [
        (29.6999999999, 1, 29.7),
        (1.65, 1, 1.7),  # halves away from zero, as a reader rounds
        (-1.65, 1, -1.7),
        (52.5, 0, 53.0),
        (-0.04, 1, 0.0),
        (-1e-12, 1, 0.0),
    ],
)
def test_shown_rounds_as_a_reader_does_and_never_gives_minus_zero(points, decimals, expected):
    result = shown(points, decimals)
    assert result == expected
    assert math.copysign(1.0, result) == math.copysign(1.0, expected) or expected == 0.0
    assert str(result) != "-0.0"


def test_yearly_rate_is_the_change_of_shown_indexes_over_the_years_between():
    assert yearly_rate((2010, 74.4), (2014, 92.0)) == 4.4
    assert yearly_rate((2010, 71.9), (2012, 77.5)) == 2.8
    assert yearly_rate((2012, 50.0), (2012, 60.0)) is None


def test_index_effects_add_up_to_the_change_of_the_mean():
    old = {"X": 0.2, "Y": 0.8, "Z": 0.5}
    new = {"X": 0.6, "Y": 0.7}  # Z not reported any more
    effects = index_effects(old, new)
    change = (sum(new.values()) / 2 - sum(old.values()) / 3) * 100
    assert sum(effects.values()) == pytest.approx(change)
    same = index_effects({"X": 0.2, "Y": 0.8}, {"X": 0.6, "Y": 0.8})
    assert same == pytest.approx({"X": 20.0, "Y": 0.0})
