"""Seeding the good-practice library: 25 sample practices from nine partner regions.

The records draw on public facts about real institutions, but their wording and any figures
are illustrative: they are flagged ``is_sample`` and every reply that shows them says so.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Practice, WorkingGroup, utcnow
from storage.practice_fields import clean_practice, find_same_title
from storage.practices import create_practice
from storage.regions import resolve_region

log = logging.getLogger(__name__)


def seed_practices(*, session: Session, group: WorkingGroup, records: list[dict]) -> None:
    """Add the seed practices that are missing, recognised by their ``key``.

    A practice someone already added under the same title in the same region is left alone.
    """
    seeded = set(
        session.scalars(
            select(Practice.seed_key).where(
                Practice.group_id == group.id, Practice.seed_key.is_not(None)
            )
        )
    )
    now = utcnow()
    for record in records:
        if record["key"] in seeded:
            continue
        region = resolve_region(session=session, group_id=group.id, query=record["region"]).match
        if region is not None and find_same_title(
            session=session, group_id=group.id, region_id=region.id, title=record["title"]
        ):
            log.info("seed practice %r is already in the library; not added", record["title"])
            continue
        raw = {
            **record,
            "themes": ", ".join(record["themes"]),
            "pilots": ", ".join(record["pilots"]),
        }
        raw["year"] = "" if record["year"] is None else str(record["year"])
        values = clean_practice(raw, session=session, group_id=group.id, this_year=now.year)
        create_practice(
            session=session,
            group_id=group.id,
            values=values,
            now=now,
            is_sample=True,
            seed_key=record["key"],
        )
