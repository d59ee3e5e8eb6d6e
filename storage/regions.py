"""Partner regions: listing them and resolving what people type into one region."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.lookup import NameMatch, match_name
from storage.models import Region, RegionAlias
from storage.text import fold


def list_regions(*, session: Session, group_id: int) -> list[Region]:
    return list(
        session.scalars(select(Region).where(Region.group_id == group_id).order_by(Region.name))
    )


def resolve_region(*, session: Session, group_id: int, query: str) -> NameMatch[Region]:
    """Find a region by name, alias or NUTS code, ignoring case and accents, forgiving typos."""
    # The aliases with their regions in one round trip (every /benchmark <region> asks).
    rows = session.execute(
        select(RegionAlias.folded, Region)
        .join(Region, Region.id == RegionAlias.region_id)
        .where(RegionAlias.group_id == group_id)
        .order_by(RegionAlias.id)
    ).all()
    regions = {region.id: region for _, region in rows}
    return match_name(query, [(name, region.id) for name, region in rows]).map(regions.__getitem__)


def add_region_aliases(
    *, session: Session, region: Region, names: Iterable[tuple[str, str]], taken: set[str]
) -> None:
    """An alias row per spelling of ``region`` ((alias, kind) pairs), one per folded form:
    spellings already in ``taken`` (the group's) are skipped, the new ones added to it."""
    for alias, kind in names:
        folded = fold(alias)
        if folded in taken:
            continue
        taken.add(folded)
        session.add(
            RegionAlias(
                group_id=region.group_id,
                region_id=region.id,
                alias=alias,
                folded=folded,
                kind=kind,
            )
        )
