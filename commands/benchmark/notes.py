"""What every benchmark reply says about its figures: the method, sample data, indicators left
out and clipped sample scores. One place, so that every view says the same as the README."""

from __future__ import annotations

from commands.benchmark.model import Benchmark, LeftOut
from commands.benchmark.rules import NO_FIGURES, NO_REAL_FIGURES, NO_SPREAD, NOT_IN_EDITION
from commands.reply import Text, text
from storage.models import BenchmarkEdition

SAMPLE_NOTE = (
    "Illustrative sample figures, not official ChemClust benchmark data: they stand in "
    "until a coordinator imports a real edition."
)
# Once a real edition exists the sample editions no longer stand in for anything.
SAMPLE_BESIDE_REAL_NOTE = (
    "Illustrative sample figures, not official ChemClust benchmark data, scored on the scale "
    "the real editions set."
)
METHOD_NOTE = (
    "Index 0–100: each indicator min–max normalised across partners and editions "
    "(direction-aware), then averaged (Regional Innovation Scoreboard method)."
)
REAL_METHOD_NOTE = (
    "Index 0–100: each indicator min–max normalised across the partners' real editions "
    "(direction-aware), then averaged (Regional Innovation Scoreboard method)."
)
REASONS = {
    NO_FIGURES: "no figures",
    NO_REAL_FIGURES: "no figures in a real edition",
    NO_SPREAD: "the same value everywhere",
}


def method_note(bench: Benchmark) -> str:
    return REAL_METHOD_NOTE if bench.has_real else METHOD_NOTE


def sample_note(bench: Benchmark) -> str:
    return SAMPLE_BESIDE_REAL_NOTE if bench.has_real else SAMPLE_NOTE


def clipping_note(bench: Benchmark, *editions: BenchmarkEdition) -> str:
    """Said wherever sample scores were cut to the real editions' scale:
    ``Clipped to the real editions' range (counted as 0 or 100): 21 figures of the 2012 update.``
    """
    counts = [(e, bench.clipped(e)) for e in dict.fromkeys(editions)]
    counts = [(e, n) for e, n in counts if n]
    if not counts:
        return ""
    where = ", ".join(
        f"{n} {'figure' if n == 1 else 'figures'} of the {e.label}" for e, n in counts
    )
    return f"Clipped to the real editions' range (counted as 0 or 100): {where}."


def footnote(
    bench: Benchmark,
    edition: BenchmarkEdition,
    compared_with: BenchmarkEdition | None = None,
    *also_shown: BenchmarkEdition,
) -> Text:
    """The method, and the sample-data note wherever sample figures are shown or compared,
    with their clipping (for ``edition``, ``compared_with`` and ``also_shown``)."""
    method = method_note(bench)
    shown = [e for e in (edition, compared_with, *also_shown) if e is not None]
    clipping = [note] if (note := clipping_note(bench, *shown)) else []
    if edition.is_sample:
        return text(" ".join([sample_note(bench), *clipping, method]))
    if compared_with is not None and compared_with.is_sample:
        compared = (
            f"Change is measured against the {compared_with.label}, which holds illustrative "
            "sample figures."
        )
        return text(" ".join([compared, *clipping, method]))
    return text(method)


def reason(left_out: LeftOut, edition: BenchmarkEdition) -> str:
    if left_out.reason == NOT_IN_EDITION:
        return f"no figures in the {edition.label}"
    return REASONS[left_out.reason]


def left_out_sentence(bench: Benchmark, edition: BenchmarkEdition) -> str:
    """``Left out: Permit lead time (no figures in a real edition).`` or ""."""
    missing = bench.left_out(edition)
    if not missing:
        return ""
    names = ", ".join(f"{m.indicator.name} ({reason(m, edition)})" for m in missing)
    return f"Left out of the index: {names}."


def indicator_count(bench: Benchmark, edition: BenchmarkEdition) -> str:
    count = len(bench.scored_indicators(edition))
    return f"{count} indicator" if count == 1 else f"{count} indicators"
