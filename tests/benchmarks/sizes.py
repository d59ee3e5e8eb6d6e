"""How much history the benchmark suite adds to the seed, and what the seed already holds.

Scale 1 is the migrated seed as it is. Any other scale N adds N/100 of the issue's "100× a
busy group" (issue 14): at 100, 50,000 workshops and deadlines, 350,000 reminder rows,
100,000 pilot updates, 200 benchmark editions and 10,000 practices.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SEED_SCALE = 1.0
# Every random choice comes from streams seeded with this, one stream per table.
RANDOM_SEED = 14


def random_stream(name: str) -> random.Random:
    """A deterministic stream of its own for one table: changing one generator leaves the
    rows of the others as they were. Sample data, not secrets."""
    return random.Random(f"{RANDOM_SEED}:{name}")  # noqa: S311


@dataclass(frozen=True)
class HistorySizes:
    """Row counts the generator adds (the seed's own rows come on top)."""

    events: int
    upcoming: int  # of ``events``: starting in the coming year; the rest are history
    reminders: int
    pilot_updates: int
    editions: int
    practices: int  # the library's size in all, the seed's practices included
    members: int  # not in the list: people the deadline reminders and /chemclust who see


# The figures for 100× a busy group; members (2,000: 200 per region) are our choice.
AT_100 = HistorySizes(
    events=50_000,
    upcoming=300,
    reminders=350_000,
    pilot_updates=100_000,
    editions=200,
    practices=10_000,
    members=2_000,
)


def sizes_for(scale: float) -> HistorySizes | None:
    """The rows to add at ``scale``; None at scale 1 (the seed alone)."""
    if scale <= 0:
        raise ValueError("a scale is a positive number: 1 is the seed, 100 the issue's sizes")
    if scale == SEED_SCALE:
        return None

    def part(count: int, least: int = 1) -> int:
        return max(least, math.ceil(count * scale / 100))

    return HistorySizes(
        events=part(AT_100.events, 8),
        upcoming=part(AT_100.upcoming, 4),
        reminders=part(AT_100.reminders, 8),
        pilot_updates=part(AT_100.pilot_updates),
        editions=part(AT_100.editions),
        practices=part(AT_100.practices, 30),
        members=part(AT_100.members, 10),
    )


def scale_label(scale: float) -> str:
    """How a scale is named in the table: ``seed`` or ``100×``."""
    return "seed" if scale == SEED_SCALE else f"{scale:g}×"


def anchor(now: datetime | None = None) -> datetime:
    """Midnight UTC today: generated times are placed relative to it, so every run on a day
    produces the same rows."""
    now = now or datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


HISTORY_STARTS = datetime(2010, 1, 1, tzinfo=UTC)
# Past events end a day before the anchor; upcoming ones start two days after it.
PAST_GAP = timedelta(days=1)
UPCOMING_GAP = timedelta(days=2)
# Reminder rows due before the anchor's next midnight count as handled (sent, skipped,
# failed), later ones as pending: events start 07:00–15:30 UTC, so nothing falls due while
# the suite runs unless it runs past 06:00 the next morning.
HANDLED_UNTIL = timedelta(days=1)
