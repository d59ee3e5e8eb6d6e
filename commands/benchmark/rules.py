"""The method's small rules that need no pandas: how a figure is rounded as shown, why an
indicator is left out, the yearly rate and an indicator's effect on the index.

Kept apart from ``math`` so that replies can use them without loading pandas at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

# Why an indicator gets no score anywhere.
NO_FIGURES = "no figures"
NO_REAL_FIGURES = "no real figures"
NO_SPREAD = "no spread"
# Why it gets none in one edition although it is scored in others.
NOT_IN_EDITION = "not in this edition"
# Means of floats differ in their last bits with the order of summation; rounding to this many
# decimals first makes equal means show, rank and change alike whatever the order.
_NOISE_DECIMALS = 7


def shown(points: float, decimals: int = 1) -> float:
    """A value in points as a reply shows it, rounded as a reader rounds (halves away from
    zero): ``shown(29.6999999)`` -> ``29.7``, ``shown(1.65)`` -> ``1.7``; never -0.0."""
    exact = Decimal(repr(round(points, _NOISE_DECIMALS)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)) + 0.0


def yearly_rate(first: tuple[int, float], last: tuple[int, float]) -> float | None:
    """Points per year between two (year, shown index) pairs, as shown; None within one year."""
    (first_year, first_index), (last_year, last_index) = first, last
    if last_year <= first_year:
        return None
    return shown((last_index - first_index) / (last_year - first_year))


def index_effects(old: Mapping[str, float], new: Mapping[str, float]) -> dict[str, float]:
    """Each indicator's part in a region's index change, in points (unrounded).

    ``old`` and ``new`` map indicator codes to the region's 0..1 scores in two editions. The
    index is the mean of the scores, so an indicator's share of it is its score divided by how
    many scores the mean has; its effect is its new share minus its old one. The effects add up
    to the index change exactly (before rounding); with the same indicators in both editions an
    effect is simply the score change over their number.
    """
    effects: dict[str, float] = {}
    for code in set(old) | set(new):
        after = new[code] / len(new) if code in new else 0.0
        before = old[code] / len(old) if code in old else 0.0
        effects[code] = (after - before) * 100
    return effects
