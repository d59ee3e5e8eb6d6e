"""Benchmark charts as PNG bytes, drawn with matplotlib's Agg renderer.

matplotlib is imported inside the drawing functions, so a process that never draws a chart
never pays for it. Figures are built without pyplot: no global state, safe in worker threads.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE = "#1d4e89"
GREY = "#9aa5b1"
HIGHLIGHT = "#e07a1f"
SAMPLE_CHART_NOTE = "Illustrative sample figures, not official ChemClust benchmark data."


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    highlight: bool = False


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=120, layout="constrained")
    figure.set_facecolor("white")
    return figure


def _png(figure: Figure, notes: Sequence[str]) -> bytes:
    if notes:
        figure.supxlabel("\n".join(notes), fontsize=8, color="#555555", x=0.01, ha="left")
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def region_scores(
    *,
    title: str,
    indicators: Sequence[str],
    scores: Sequence[float | None],
    medians: Sequence[float | None],
    labels: Sequence[str] | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    """A region's 0–100 score on every indicator, with the partners' median marked; ``labels``
    are written beside the bars (default: the score, or "no data")."""
    figure = _figure(9.5, 1.2 + 0.42 * len(indicators))
    axes = figure.add_subplot()
    positions = list(range(len(indicators)))[::-1]
    axes.barh(
        positions,
        [0.0 if s is None else s for s in scores],
        color=[GREY if s is None else BLUE for s in scores],
        height=0.6,
        label="Region's score",
    )
    shown = [(p, m) for p, m in zip(positions, medians, strict=True) if m is not None]
    if shown:
        axes.scatter(
            [m for _, m in shown],
            [p for p, _ in shown],
            marker="|",
            s=400,
            linewidths=2.5,
            color=HIGHLIGHT,
            zorder=3,
            label="Partners' median",
        )
    if labels is None:
        labels = ["no data" if score is None else f"{score:.0f}" for score in scores]
    for position, score, label in zip(positions, scores, labels, strict=True):
        axes.text((score or 0) + 1, position, label, va="center", fontsize=8)
    axes.set_yticks(positions, list(indicators))
    axes.set_xlim(0, 108)
    axes.set_xlabel("Score 0–100 (100 = best among the partner regions)")
    axes.set_ylabel("Indicator")
    axes.set_title(title)
    # Outside the axes, so that no bar hides under it.
    figure.legend(loc="outside right upper", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure, notes)


def composite_trend(
    *,
    title: str,
    editions: Sequence[str],
    years: Sequence[int],
    composites: Sequence[float | None],
    medians: Sequence[float | None],
    sample: Sequence[bool],
    rate: str = "",
    notes: Sequence[str] = (),
) -> bytes:
    """The composite index across editions placed by year, so that slopes are points per year,
    the partners' median beside it; sample editions drawn hollow; ``rate`` under the title."""
    figure = _figure(8, 4.5)
    axes = figure.add_subplot()
    x = _positions(years)
    own = [(p, c, s) for p, c, s in zip(x, composites, sample, strict=True) if c is not None]
    axes.plot([p for p, _, _ in own], [c for _, c, _ in own], color=BLUE, label="Composite index")
    for position, value, is_sample in own:
        axes.plot(
            position,
            value,
            marker="o",
            markersize=8,
            color=BLUE,
            markerfacecolor="white" if is_sample else BLUE,
        )
        axes.annotate(f"{value:.1f}", (position, value), textcoords="offset points",
                      xytext=(0, 8), ha="center", fontsize=8)  # fmt: skip
    middle = [(i, m) for i, m in zip(x, medians, strict=True) if m is not None]
    axes.plot(
        [i for i, _ in middle],
        [m for _, m in middle],
        color=HIGHLIGHT,
        linestyle="--",
        label="Partners' median",
    )
    axes.set_xticks(x, list(editions))
    axes.set_ylim(0, 105)
    axes.set_xlabel("Benchmark edition")
    axes.set_ylabel("Composite innovation index (0–100)")
    axes.set_title(f"{title}\nAverage change: {rate}" if rate else title)
    axes.legend(loc="lower right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if any(sample):
        notes = [*notes, "Hollow points: editions with illustrative sample figures."]
    return _png(figure, notes)


def _positions(years: Sequence[int]) -> list[float]:
    """An x position per edition: its year, editions of one year spread a little apart."""
    positions: list[float] = []
    for year in years:
        position = float(year)
        while positions and position <= positions[-1]:
            position = positions[-1] + 0.3
        positions.append(position)
    return positions


def ranked_values(
    *, title: str, unit: str, bars: Sequence[Bar], notes: Sequence[str] = ()
) -> bytes:
    """One indicator's raw values, best region first."""
    figure = _figure(8, 1.2 + 0.42 * len(bars))
    axes = figure.add_subplot()
    positions = list(range(len(bars)))[::-1]
    values = [0.0 if b.value is None else b.value for b in bars]
    colours = [GREY if b.value is None else (HIGHLIGHT if b.highlight else BLUE) for b in bars]
    axes.barh(positions, values, color=colours, height=0.6)
    top = max(values, default=0.0) or 1.0
    for position, bar in zip(positions, bars, strict=True):
        label = "no data" if bar.value is None else f"{bar.value:,.4g}"
        axes.text((bar.value or 0) + top * 0.01, position, label, va="center", fontsize=8)
    axes.set_yticks(positions, [b.label for b in bars])
    axes.set_xlim(0, top * 1.12)
    axes.set_xlabel(unit)
    axes.set_ylabel("Partner region")
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure, notes)
