"""The good-practice library: reading, adding and changing practices, and its overview."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Practice, Region, split_themes
from storage.practice_fields import FIELDS, PracticeValues, practice_strings, themes_column
from storage.practice_themes import THEME_NAMES
from storage.regions import list_regions

_LOADED = (
    selectinload(Practice.region),
    selectinload(Practice.pilots),
    selectinload(Practice.created_by),
)


def get_practice(*, session: Session, group_id: int, practice_id: int) -> Practice | None:
    return session.scalar(
        select(Practice)
        .options(*_LOADED)
        .where(Practice.group_id == group_id, Practice.id == practice_id)
    )


def practices_by_id(
    *, session: Session, group_id: int, practice_ids: Sequence[int]
) -> list[Practice]:
    """The practices with these ids, in the order of the ids (a search ranking)."""
    found = {
        p.id: p
        for p in session.scalars(
            select(Practice)
            .options(*_LOADED)
            .where(Practice.group_id == group_id, Practice.id.in_(practice_ids))
        )
    }
    return [found[i] for i in practice_ids if i in found]


def list_practices(*, session: Session, group_id: int) -> list[Practice]:
    return list(
        session.scalars(
            select(Practice)
            .options(*_LOADED)
            .where(Practice.group_id == group_id)
            .order_by(Practice.id)
        )
    )


def _apply(practice: Practice, values: PracticeValues) -> None:
    practice.title = values.title
    practice.region = values.region
    practice.themes = themes_column(values.themes)
    practice.pilots = list(values.pilots)
    practice.category = values.category
    practice.organisation = values.organisation
    practice.summary = values.summary
    practice.description = values.description
    practice.resources_needed = values.resources_needed
    practice.evidence_of_success = values.evidence_of_success
    practice.difficulties_met = values.difficulties_met
    practice.potential_for_transfer = values.potential_for_transfer
    practice.contact = values.contact
    practice.link = values.link
    practice.year = values.year


def create_practice(
    *,
    session: Session,
    group_id: int,
    values: PracticeValues,
    now: datetime,
    created_by_id: int | None = None,
    is_sample: bool = False,
    seed_key: str | None = None,
) -> Practice:
    practice = Practice(
        group_id=group_id,
        created_by_id=created_by_id,
        is_sample=is_sample,
        seed_key=seed_key,
        created_at=now,
        updated_at=now,
    )
    _apply(practice, values)
    session.add(practice)
    session.flush()
    return practice


def update_practice(
    *, session: Session, practice: Practice, values: PracticeValues, now: datetime
) -> list[str]:
    """Write the values; the labels of the fields that changed (none: not even the time)."""
    before = practice_strings(practice)
    _apply(practice, values)
    after = practice_strings(practice)
    changed = [spec.label for spec in FIELDS if before[spec.name] != after[spec.name]]
    if changed:
        practice.updated_at = now
    session.flush()
    return changed


@dataclass(frozen=True)
class LibraryOverview:
    total: int
    samples: int
    # Every practice counts once, under its main (first) theme, so these sum to ``total``.
    main_themes: dict[str, int]
    # How many practices carry each theme at all; a practice may carry several.
    tagged_themes: dict[str, int]
    regions: list[tuple[Region, int]]  # every partner region, with its number of practices


def library_overview(*, session: Session, group_id: int) -> LibraryOverview:
    """Counted in the database, per distinct list of themes and per region: a library of
    thousands of practices has a few dozen such lists."""
    mine = Practice.group_id == group_id
    samples = func.count().filter(Practice.is_sample)
    per_themes = session.execute(
        select(Practice.themes, func.count(), samples).where(mine).group_by(Practice.themes)
    ).all()
    per_region: dict[int, int] = dict(
        session.execute(
            select(Practice.region_id, func.count()).where(mine).group_by(Practice.region_id)
        ).all()
    )
    main: Counter[str] = Counter()
    tagged: Counter[str] = Counter()
    for themes, count, _ in per_themes:
        names = split_themes(themes)
        main[names[0] if names else "(no theme)"] += count
        for name in set(names):
            tagged[name] += count
    # Vocabulary order first; a theme unknown to the vocabulary (old data) still counts.
    order = [*THEME_NAMES, *sorted(set(main) | set(tagged) - set(THEME_NAMES))]
    return LibraryOverview(
        total=sum(count for _, count, _ in per_themes),
        samples=sum(sample for *_, sample in per_themes),
        main_themes={name: main[name] for name in order},
        tagged_themes={name: tagged[name] for name in order},
        regions=[
            (region, per_region.get(region.id, 0))
            for region in list_regions(session=session, group_id=group_id)
        ],
    )


def themes_in_use(*, session: Session, group_id: int) -> list[str]:
    """The themes the group's own practices carry, in the vocabulary's order: another group's
    library, and themes nobody here has used, are not this group's to browse."""
    used = {
        name
        for themes in session.scalars(
            select(Practice.themes).where(Practice.group_id == group_id).distinct()
        )
        for name in split_themes(themes)
    }
    return [*(n for n in THEME_NAMES if n in used), *sorted(used - set(THEME_NAMES))]


def count_practices(*, session: Session, group_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Practice).where(Practice.group_id == group_id)
        )
        or 0
    )
