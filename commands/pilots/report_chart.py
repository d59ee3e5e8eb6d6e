"""The report's chart: updates per month, one bar colour per region, as PNG bytes.

matplotlib is imported here, when a report is drawn, never at start-up; the figure is built
without pyplot (no global state, safe in worker threads).
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date


def months_between(first: date, last: date) -> list[str]:
    """Every month from ``first``'s to ``last``'s as ``YYYY-MM``, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def updates_per_month(per_region: dict[str, Counter[str]], *, title: str) -> bytes:
    """Stacked bars of the updates each region logged per month (months without any shown)."""
    from matplotlib.figure import Figure

    logged = sorted({month for counts in per_region.values() for month in counts})
    months = (
        months_between(
            date.fromisoformat(logged[0] + "-01"), date.fromisoformat(logged[-1] + "-01")
        )
        if logged
        else []
    )
    figure = Figure(figsize=(8, 3.6), dpi=120, layout="constrained")
    axes = figure.add_subplot()
    bottoms = [0] * len(months)
    for region, counts in per_region.items():
        heights = [counts.get(month, 0) for month in months]
        if not any(heights):
            continue
        axes.bar(months, heights, bottom=bottoms, label=region)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    axes.set_title(title)
    axes.set_ylabel("Updates")
    axes.yaxis.get_major_locator().set_params(integer=True)
    if months:
        axes.legend(fontsize=8, loc="upper left")
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    else:
        axes.text(0.5, 0.5, "No updates in this period", ha="center", va="center")
        axes.set_xticks([])
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
