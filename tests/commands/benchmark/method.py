"""The README's benchmark method written again, independently of the code, in exact fractions:
the oracle the exactness tests check replies against. Also helpers to import real editions
through the real import path and to read replies."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources

import yaml

from commands.benchmark.imports import import_file
from commands.reply import Actions, Fields, Paragraph, Table, plain
from storage.groups import default_group
from tests.support.benchmark_files import CODES, FIGURES_2014, to_csv, wide_rows

# The keys of the regions FIGURES_2014 names, in its order.
KEYS_2014 = (
    "saxony-anhalt",
    "north-rhine-westphalia",
    "asturias",
    "masovia",
    "usti",
    "cheshire-west-and-chester",
    "novara",
    "limburg",
    "tees-valley",
    "schleswig-holstein",
)
NAMES = {
    "saxony-anhalt": "Saxony-Anhalt",
    "north-rhine-westphalia": "North Rhine-Westphalia",
    "asturias": "Asturias",
    "masovia": "Masovia",
    "usti": "Ústí",
    "cheshire-west-and-chester": "Cheshire West and Chester",
    "novara": "Novara",
    "limburg": "Limburg",
    "tees-valley": "Tees Valley",
    "schleswig-holstein": "Schleswig-Holstein",
}

Figures = dict[str, dict[str, Fraction]]  # region key -> indicator code -> value


def directions() -> dict[str, bool]:
    """Read from ChemClust's shipped group file directly, not through the bot's checker."""
    text = resources.files("storage.seed").joinpath("chemclust.yml").read_text("utf-8")
    return {i["code"]: i["direction"] == "higher" for i in yaml.safe_load(text)["indicators"]}


def sample_figures() -> dict[str, Figures]:
    """The seeded sample editions: label -> figures."""
    text = resources.files("storage.seed").joinpath("benchmark_sample_values.csv").read_text()
    editions: dict[str, Figures] = {}
    for row in csv.DictReader(io.StringIO(text)):
        region = editions.setdefault(row["edition"], {}).setdefault(row["region"], {})
        region[row["indicator"]] = Fraction(row["value"])
    return editions


def figures_2014(*, without: tuple[str, ...] = (), changes: dict | None = None) -> Figures:
    """FIGURES_2014 by region key, less the indicators ``without``, with ``changes`` applied
    (``{(key, code): value}``)."""
    figures: Figures = {}
    for key, values in zip(KEYS_2014, FIGURES_2014.values(), strict=True):
        figures[key] = {
            code: Fraction(str(v))
            for code, v in zip(CODES, values, strict=True)
            if code not in without
        }
    for (key, code), value in (changes or {}).items():
        figures[key][code] = Fraction(str(value))
    return figures


def import_real(
    sessions, figures: Figures, edition: str = "2014", *, replace: bool = False
) -> None:
    """Import ``figures`` as a real edition, the way ``chemclust-bot import benchmark`` does
    (``replace``: over the edition's figures); an indicator a region lacks is written ``n/a``."""
    rows = wide_rows()[:1]
    for key in KEYS_2014:
        own = figures.get(key, {})
        rows.append([NAMES[key], *(_cell(own.get(code)) for code in CODES)])
    with sessions() as session:
        group_id = default_group(session=session).id
    outcome = import_file(
        sessions,
        group_id=group_id,
        filename=f"benchmark-{edition}.csv",
        content=to_csv(rows),
        edition=edition,
        year=None,
        replace=replace,
        dry_run=False,
        source="test",
    )
    assert outcome.ok, outcome.reply


def _cell(value: Fraction | None) -> object:
    if value is None:
        return "n/a"
    return str(float(value)) if value.denominator != 1 else str(value.numerator)


# --- the method, as the README states it ---------------------------------------------------


def scales(scale_editions: list[Figures]) -> dict[str, tuple[Fraction, Fraction]]:
    """Per indicator that carries information: (minimum, maximum) over the scale's editions."""
    values: dict[str, list[Fraction]] = {}
    for figures in scale_editions:
        for own in figures.values():
            for code, value in own.items():
                values.setdefault(code, []).append(value)
    return {code: (min(v), max(v)) for code, v in values.items() if max(v) > min(v)}


def score(value: Fraction, scale: tuple[Fraction, Fraction], higher_is_better: bool) -> Fraction:
    low, high = scale
    fraction = min(max((value - low) / (high - low), Fraction(0)), Fraction(1))
    return fraction if higher_is_better else 1 - fraction


def clipped(figures: Figures, scale_editions: list[Figures]) -> int:
    """How many figures lie outside the scale (and so count as 0 or 100)."""
    ranges = scales(scale_editions)
    return sum(
        1
        for own in figures.values()
        for code, value in own.items()
        if code in ranges and not ranges[code][0] <= value <= ranges[code][1]
    )


def rounded(value: Fraction, places: int = 1) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def indexes(figures: Figures, scale_editions: list[Figures]) -> dict[str, Decimal]:
    """Each region's index as shown: the mean of its scores × 100, to one decimal."""
    ranges, direction = scales(scale_editions), directions()
    result = {}
    for key, own in figures.items():
        scores = [score(v, ranges[c], direction[c]) for c, v in own.items() if c in ranges]
        if scores:
            result[key] = rounded(sum(scores, Fraction(0)) / len(scores) * 100)
    return result


# --- reading replies -----------------------------------------------------------------------


def table(reply, first_column: str | None = None) -> list[dict[str, str]]:
    """A reply's table (the first, or the one whose first column is ``first_column``)."""
    found = next(
        p
        for p in reply.parts
        if isinstance(p, Table) and (first_column is None or p.columns[0].title == first_column)
    )
    return [
        {c.title: cell for c, cell in zip(found.columns, row, strict=True)} for row in found.rows
    ]


def fields(reply) -> dict[str, str]:
    return {f.label: plain(f.value) for p in reply.parts if isinstance(p, Fields) for f in p.items}


def all_text(reply) -> str:
    pieces = [reply.heading or "", plain(reply.footnote or ())]
    for part in reply.parts:
        if isinstance(part, Paragraph):
            pieces.append(plain(part.text))
        elif isinstance(part, Fields):
            pieces += [f"{f.label}: {plain(f.value)}" for f in part.items]
        elif isinstance(part, Table):
            pieces += [" | ".join(c.title for c in part.columns)]
            pieces += [" | ".join(row) for row in part.rows]
        elif isinstance(part, Actions):
            pieces += [b.label for b in part.buttons]
    return "\n".join(pieces)
