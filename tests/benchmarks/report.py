"""Figures of a run: one table side by side (measure | floor | bot | ratio | target), and JSON.

A figure holds one or two numbers for the bot (p50 and p99, or a single value) and the same
for its reference, which is the bare-Bolt floor, or for the calm-loop figures the same
request on an idle bot. The ratio is always bot / reference of the last number, so that a
latency ratio of 3× is three times slower and a throughput ratio of 0.5× half as fast.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """A "done when" line of issue 14: ``bot ≤ limit`` or ``bot ≥ limit``, where ``limit``
    is absolute or, with ``of_reference``, a multiple of the reference."""

    text: str
    limit: float
    at_least: bool = False
    of_reference: bool = False

    def met(self, bot: float, reference: float | None) -> bool | None:
        if math.isnan(bot):
            return None
        limit = self.limit
        if self.of_reference:
            if reference is None or math.isnan(reference):
                return None
            limit *= reference
        return bot >= limit if self.at_least else bot <= limit


@dataclass
class Figure:
    section: str
    measure: str
    unit: str  # ms, s, req/s, reminders/s, MB
    bot: tuple[float, ...]  # (p50, p99) or (value,)
    reference: tuple[float, ...] | None = None
    reference_name: str = "floor"
    target: Target | None = None
    detail: str = ""  # what else the bot's figure showed (deferred, replies, errors)
    n: int = 0  # samples behind the bot's figure
    about: str = ""  # what was measured, how
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.reference or not self.reference[-1]:
            return None
        return self.bot[-1] / self.reference[-1]

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        reference = self.reference[-1] if self.reference else None
        return self.target.met(self.bot[-1], reference)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["target"] = self.target.text if self.target else None
        data["ratio"] = self.ratio
        data["met"] = self.met
        return data


def number(value: float, unit: str) -> str:
    """Three significant figures or so: 0.51, 12.8, 118, 4312."""
    if math.isnan(value):
        return "–"
    if value >= 100 or unit == "MB":
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def cell(values: tuple[float, ...] | None, unit: str) -> str:
    if not values:
        return "–"
    return " / ".join(number(v, unit) for v in values) + f" {unit}"


def ratio_cell(figure: Figure) -> str:
    ratio = figure.ratio
    if ratio is None or math.isnan(ratio):
        return ""
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:.0f}×"


def target_cell(figure: Figure) -> str:
    if figure.target is None:
        return ""
    mark = {True: "✓", False: "✗", None: "?"}[figure.met]
    return f"{figure.target.text} {mark}"


def table(figures: list[Figure]) -> str:
    """A Markdown table, one section after another, with the bot's details in its cell."""
    lines = ["| measure | floor | bot | ratio | target |", "|---|---|---|---|---|"]
    section = None
    for figure in figures:
        if figure.section != section:
            section = figure.section
            lines.append(f"| **{section}** | | | | |")
        reference = cell(figure.reference, figure.unit)
        if figure.reference and figure.reference_name != "floor":
            reference = f"{figure.reference_name}: {reference}"
        bot = cell(figure.bot, figure.unit) + (f", {figure.detail}" if figure.detail else "")
        row = (figure.measure, reference, bot, ratio_cell(figure), target_cell(figure))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def legend(figures: list[Figure]) -> str:
    """What the figures measured: each description once, after the sections it explains
    (named without their data size)."""
    sections: dict[str, list[str]] = {}
    for figure in figures:
        if figure.about:
            named = sections.setdefault(figure.about, [])
            section = figure.section.rpartition(", ")[0] or figure.section
            if section not in named:
                named.append(section)
    return "\n".join(f"- {'; '.join(named)}: {about}" for about, named in sections.items())


def write_json(path: Path, *, meta: dict[str, Any], figures: list[Figure]) -> None:
    document = {"meta": meta, "figures": [figure.as_json() for figure in figures]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
