"""Which working group a chat workspace belongs to."""

from __future__ import annotations

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from storage.models import WorkingGroup, Workspace


def default_group(*, session: Session) -> WorkingGroup:
    group = session.scalar(select(WorkingGroup).where(WorkingGroup.is_default.is_(True)))
    if group is None:
        raise LookupError("no default working group: run `chemclust-bot db upgrade` to seed one")
    return group


def group_by_slug(*, session: Session, slug: str) -> WorkingGroup | None:
    return session.scalar(select(WorkingGroup).where(WorkingGroup.slug == slug))


def group_for_workspace(
    *, session: Session, platform: str, external_id: str | None
) -> WorkingGroup:
    """The group a Slack team or Teams tenant is mapped to; unknown workspaces get the default."""
    if not external_id:
        return default_group(session=session)
    # One round trip on every request: the mapped group first, else the default.
    mapped = (
        select(Workspace.id)
        .where(
            Workspace.group_id == WorkingGroup.id,
            Workspace.platform == platform,
            Workspace.external_id == external_id,
        )
        .exists()
    )
    group = session.scalar(
        select(WorkingGroup)
        .where(or_(mapped, WorkingGroup.is_default.is_(True)))
        .order_by(case((mapped, 0), else_=1))
        .limit(1)
    )
    if group is None:
        return default_group(session=session)  # raises: nothing mapped, no default
    return group


def all_groups(*, session: Session) -> list[WorkingGroup]:
    return list(session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)))
