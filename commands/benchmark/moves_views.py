"""Replies that say what moved: ``/benchmark <region> changes`` and ``/benchmark movers``."""

from __future__ import annotations

from commands.benchmark.model import Benchmark, Standing
from commands.benchmark.moves import IndicatorMove, Movers, RegionMoves
from commands.benchmark.notes import (
    clipping_note,
    footnote,
    left_out_sentence,
    method_note,
    sample_note,
)
from commands.benchmark.views import index_points, number, score_text, signed, whole
from commands.reply import (
    Actions,
    Bold,
    Button,
    Code,
    Column,
    Field,
    Fields,
    Paragraph,
    Reply,
    Table,
    Text,
    text,
)
from storage.models import BenchmarkEdition

CHANGES_ACTION = "benchmark.changes"
EFFECT_NOTE = (
    "Effect on the index: the indicator's share of the index (its score divided by the number "
    "of indicators the index averages) in the newer edition minus that in the older one; the "
    "effects add up to the index change, give or take rounding."
)


def changes_button(region_name: str, region_key: str, edition: BenchmarkEdition) -> Button:
    return Button(f"{region_name}: changes", CHANGES_ACTION, value=f"{region_key}@{edition.label}")


def _rank(standing: Standing) -> str:
    return "–" if standing.rank is None else f"{standing.rank} of {standing.of}"


def _value(move: IndicatorMove) -> str:
    unit = move.indicator.unit
    before, after = number(move.before.value), number(move.after.value)
    return f"{before} → {after} {unit}"


def _score_line(move: IndicatorMove) -> str:
    if move.before.score is None and move.after.score is None:
        return "Not in the index in either edition"
    old, new = whole(move.before.score), whole(move.after.score)
    # The score change is the difference of the two whole scores shown beside it.
    change = None if old is None or new is None else new - old
    line = f"Score {score_text(move.before)} → {score_text(move.after)}"
    if change is not None:
        line += f" ({signed(change, decimals=0)})"
    if move.effect is not None:
        line += f" · index {signed(move.effect)}"
    return line


def _named(moves: list[IndicatorMove]) -> str:
    return ", ".join(f"{m.indicator.name} {signed(m.effect)}" for m in moves) or "none"


def region_changes(bench: Benchmark, moves: RegionMoves) -> Reply:
    region, before, after = moves.region, moves.before, moves.after
    old, new = moves.standing_before, moves.standing_after
    heading = f"{region.name}: what moved from the {before.label} to the {after.label}"
    overview = Fields(
        (
            Field(
                "Index",
                text(
                    Bold(f"{index_points(old.index)} → {index_points(new.index)}"),
                    f" ({signed(new.change)})" if new.change is not None else "",
                ),
            ),
            Field("Rank", text(f"{_rank(old)} → {_rank(new)}")),
        )
    )
    parts: list = [overview]
    if new.change is not None:
        parts.append(
            Paragraph(
                text(
                    Bold("Moved the index most: "),
                    "up ",
                    _named(moves.moved_most(rising=True)),
                    "; down ",
                    _named(moves.moved_most(rising=False)),
                    ".",
                )
            )
        )
    parts.append(
        Fields(
            tuple(
                Field(m.indicator.name, text(_value(m), "\n", _score_line(m)))
                for m in moves.indicators
            )
        )
    )
    notes = [EFFECT_NOTE] if new.change is not None else []
    notes += [n for n in (left_out_sentence(bench, before), left_out_sentence(bench, after)) if n]
    parts.append(Paragraph(text(" ".join(dict.fromkeys(notes)))))
    return Reply(
        heading=heading,
        parts=tuple(parts),
        footnote=_footnote(bench, before, after),
        summary=(
            f"{region.name}: index {index_points(old.index)} → {index_points(new.index)} "
            f"from the {before.label} to the {after.label}."
        ),
    )


def movers_reply(bench: Benchmark, movers: Movers) -> Reply:
    before, after = movers.before, movers.after
    risers, fallers = movers.risers(), movers.fallers()

    def names(pairs: list[tuple[Standing, Standing]]) -> str:
        return ", ".join(f"{new.region.name} {signed(new.change)}" for _, new in pairs) or "none"

    region_rows = tuple(
        (
            new.region.name,
            index_points(old.index),
            index_points(new.index),
            signed(new.change),
            f"{old.rank} → {new.rank}",
        )
        for old, new in movers.regions
    )
    indicator_rows = tuple(
        (
            a.indicator.name,
            f"{a.before:.1f}",
            f"{a.after:.1f}",
            signed(a.change),
            str(a.regions),
        )
        for a in movers.indicators
    )
    rising = [a for a in movers.indicators if a.change > 0][:3]
    falling = [a for a in movers.indicators if a.change < 0][::-1][:3]

    def indicator_names(averages) -> str:
        return ", ".join(f"{a.indicator.name} {signed(a.change)}" for a in averages) or "none"

    parts: list = [
        Paragraph(
            text(
                Bold("Regions. "),
                f"Rose most: {names(risers)}. Fell most: {names(fallers)}.",
            )
        ),
        Table(_columns("Region", before, after, "Rank"), region_rows),
        Paragraph(
            text(
                Bold("Indicators. "),
                f"Rose most: {indicator_names(rising)}. Fell most: {indicator_names(falling)}. "
                "The partners' average score (0–100) over the regions scored in both editions.",
            )
        ),
        Table(_columns("Indicator", before, after, "Regions"), indicator_rows),
    ]
    left_out = [left_out_sentence(bench, before), left_out_sentence(bench, after)]
    left_out = list(dict.fromkeys(n for n in left_out if n))
    if left_out:
        parts.append(Paragraph(text(" ".join(left_out))))
    shown = [new for _, new in [*risers, *fallers]]
    if shown:
        parts.append(
            Actions(tuple(changes_button(s.region.name, s.region.key, after) for s in shown))
        )
    parts.append(
        Paragraph(text("One region's changes, indicator by indicator: ", _usage_code(), "."))
    )
    return Reply(
        heading=f"Benchmark {after.label}: what moved since the {before.label}",
        parts=tuple(parts),
        footnote=_footnote(bench, before, after),
        summary=(
            f"Benchmark {after.label} against the {before.label}: rose most {names(risers)}; "
            f"fell most {names(fallers)}."
        ),
    )


def _columns(
    name: str, before: BenchmarkEdition, after: BenchmarkEdition, last: str
) -> tuple[Column, ...]:
    return (
        Column(name),
        Column(before.label, "right"),
        Column(after.label, "right"),
        Column("Change", "right"),
        Column(last, "right"),
    )


def _usage_code() -> Code:
    return Code("/benchmark <region> changes")


def _footnote(bench: Benchmark, before: BenchmarkEdition, after: BenchmarkEdition) -> Text:
    """The sample note when either edition holds sample figures (both are shown), with their
    clipping, and the method."""
    if after.is_sample or not before.is_sample:
        return footnote(bench, after, None, before)
    note = sample_note(bench)
    clipping = clipping_note(bench, before)
    sample = f"The {before.label} holds {note[0].lower()}{note[1:]}"
    return text(" ".join(p for p in (sample, clipping, method_note(bench)) if p))
