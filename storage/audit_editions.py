"""Benchmark editions in the audit trail: one row per edition imported or replaced.

An edition holds a hundred figures or more, written and deleted in bulk, so it is recorded as
a whole: what the edition said before (its source, whether sample, the figures that changed)
and after. Taken as a snapshot before the import writes and compared once it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.audit import record_change
from storage.models import BenchmarkEdition, BenchmarkValue, Indicator, Region

ENTITY = "edition"


def edition_snapshot(
    *, session: Session, edition: BenchmarkEdition, region_id: int | None = None
) -> dict[str, Any]:
    """What the edition says now (one region's figures when ``region_id`` is given)."""
    query = (
        select(Region.name, Indicator.code, BenchmarkValue.value)
        .join(Region, Region.id == BenchmarkValue.region_id)
        .join(Indicator, Indicator.id == BenchmarkValue.indicator_id)
        .where(BenchmarkValue.edition_id == edition.id)
    )
    if region_id is not None:
        query = query.where(BenchmarkValue.region_id == region_id)
    figures = {f"{region} · {code}": value for region, code, value in session.execute(query)}
    return {
        "year": edition.year,
        "source": edition.source,
        "sample": edition.is_sample,
        "figures": dict(sorted(figures.items())),
    }


def record_editions(
    *,
    session: Session,
    editions: Iterable[BenchmarkEdition],
    before: dict[int, dict[str, Any]],
    region_id: int | None = None,
    action: str | None = None,
) -> None:
    """An audit row per edition written: ``before`` holds the snapshots of the editions that
    existed (by id); the others were imported new."""
    session.flush()
    for edition in editions:
        now = edition_snapshot(session=session, edition=edition, region_id=region_id)
        old = before.get(edition.id)
        if old is None:
            old_fields, new_fields = None, now
        else:
            old_fields, new_fields = _difference(old, now)
            if not new_fields and not old_fields:
                continue
        record_change(
            session=session,
            group_id=edition.group_id,
            entity=ENTITY,
            entity_id=edition.label,
            action=action or ("import" if old is None else "replace"),
            before=old_fields,
            after=new_fields,
        )


def _difference(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict, dict]:
    """The fields that differ; of the figures, those added, removed or changed."""
    before, after = {}, {}
    for key in old.keys() | new.keys():
        if key == "figures":
            continue
        if old.get(key) != new.get(key):
            before[key], after[key] = old.get(key), new.get(key)
    old_figures, new_figures = old["figures"], new["figures"]
    moved = sorted(
        name
        for name in old_figures.keys() | new_figures.keys()
        if old_figures.get(name) != new_figures.get(name)
    )
    if moved:
        before["figures"] = {name: old_figures.get(name) for name in moved}
        after["figures"] = {name: new_figures.get(name) for name in moved}
    return before, after
