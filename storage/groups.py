"""Which working group a chat workspace belongs to."""

from __future__ import annotations

from sqlalchemy import select
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
    if external_id:
        group = session.scalar(
            select(WorkingGroup)
            .join(Workspace, Workspace.group_id == WorkingGroup.id)
            .where(Workspace.platform == platform, Workspace.external_id == external_id)
        )
        if group is not None:
            return group
    return default_group(session=session)


def all_groups(*, session: Session) -> list[WorkingGroup]:
    return list(session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)))
