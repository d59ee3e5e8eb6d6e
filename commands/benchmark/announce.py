"""A new or revised edition is announced in the group's channel: the top of the league table,
who rose and fell most, and a button to each of those regions' changes.

The announcement is a notice row written in the import's own transaction, so it exists only
when the import does (never for a dry run or a refused file), and the dispatcher sends it once
per channel like every reminder.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from commands.benchmark import moves
from commands.benchmark.model import Benchmark, Standing, load_in
from commands.benchmark.moves_views import changes_button
from commands.benchmark.notes import footnote
from commands.benchmark.views import index_points, signed
from commands.reminders.notices import post_to_group_channels
from commands.reply import Actions, Bold, Code, Paragraph, Reply, text
from storage.benchmark_import import ImportPlan
from storage.models import BenchmarkEdition

NOTICE = "benchmark-edition"
TOP = 3
MOVERS = 3


def announce_editions(
    *,
    session: Session,
    group_id: int,
    editions: list[BenchmarkEdition],
    revised: bool,
    now: datetime,
) -> int:
    """Post one announcement per written edition to the group's channels; returns the rows."""
    posted = 0
    for edition in editions:
        payload = {"edition_id": edition.id, "revised": revised}
        posted += post_to_group_channels(
            session=session,
            group_id=group_id,
            notice=NOTICE,
            payload=payload,
            key=f"{edition.id}:{now.isoformat()}",
            now=now,
        )
    return posted


def announce_import(
    session: Session,
    group_id: int,
    plan: ImportPlan,
    written: list[BenchmarkEdition],
    now: datetime,
) -> int:
    """Announce what a file import wrote: a replaced edition is "revised"."""
    return sum(
        announce_editions(
            session=session,
            group_id=group_id,
            editions=[edition],
            revised=not target.is_new,
            now=now,
        )
        for target, edition in zip(plan.editions, written, strict=True)
    )


def announce_newest(
    *, session: Session, group_id: int, edition_ids: set[int], now: datetime
) -> int:
    """Figures added to existing editions (Eurostat brings one indicator over several years):
    the newest edition they touched is announced as revised, once."""
    editions = [session.get_one(BenchmarkEdition, edition_id) for edition_id in edition_ids]
    if not editions:
        return 0
    newest = max(editions, key=lambda e: (e.year, e.id))
    return announce_editions(
        session=session, group_id=group_id, editions=[newest], revised=True, now=now
    )


def render_announcement(session: Session, group_id: int, payload: dict) -> Reply | None:
    bench = load_in(session, group_id)
    edition = next(
        (e for e in bench.editions_with_values() if e.id == payload.get("edition_id")), None
    )
    if edition is None:
        return None  # replaced by nothing, or emptied since: there is nothing to announce
    return announcement(bench, edition, revised=bool(payload.get("revised")))


def announcement(bench: Benchmark, edition: BenchmarkEdition, *, revised: bool) -> Reply:
    ranked = [s for s in bench.standings(edition) if s.rank is not None]
    top = "; ".join(f"{s.rank}. {s.region.name} {index_points(s.index)}" for s in ranked[:TOP])
    heading = (
        f"Benchmark {edition.label} revised"
        if revised
        else f"New benchmark edition: {edition.label}"
    )
    parts: list = [
        Paragraph(text(Bold("Top of the league table: "), f"{top or 'no region ranked'}."))
    ]
    previous = bench.previous(edition)
    shown: list[Standing] = []
    if previous is not None:
        movers = moves.movers(bench, previous, edition)
        risers = [new for _, new in movers.risers()[:MOVERS]]
        fallers = [new for _, new in movers.fallers()[:MOVERS]]
        parts.append(
            Paragraph(
                text(
                    Bold(f"Since the {previous.label}: "),
                    f"rose most {_names(risers)}; fell most {_names(fallers)}.",
                )
            )
        )
        shown = [*risers, *fallers]
    if shown:
        parts.append(
            Actions(tuple(changes_button(s.region.name, s.region.key, edition) for s in shown))
        )
    parts.append(
        Paragraph(
            text(
                "The whole table: ",
                Code("/benchmark"),
                "; a region's changes: ",
                Code("/benchmark <region> changes"),
                ".",
            )
        )
    )
    return Reply(
        heading=heading,
        parts=tuple(parts),
        footnote=footnote(bench, edition, previous),
        summary=f"{heading}. Top: {top}.",
    )


def _names(standings: list[Standing]) -> str:
    return ", ".join(f"{s.region.name} {signed(s.change)}" for s in standings) or "none"
