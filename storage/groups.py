"""Which working group a chat workspace belongs to."""

from __future__ import annotations

from functools import cache

from sqlalchemy import ColumnElement, Integer, Select, String, and_, bindparam, case, or_, select
from sqlalchemy.orm import Session, contains_eager

from storage.models import Member, Region, WorkingGroup, Workspace


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
    mapped = _mapped(platform, external_id)
    group = session.scalar(
        select(WorkingGroup)
        .where(or_(mapped, WorkingGroup.is_default.is_(True)))
        .order_by(case((mapped, 0), else_=1))
        .limit(1)
    )
    if group is None:
        return default_group(session=session)  # raises: nothing mapped, no default
    return group


def _mapped(
    platform: str | ColumnElement[str], external_id: str | ColumnElement[str]
) -> ColumnElement[bool]:
    """Whether the working group of the row is the one this workspace is mapped to."""
    return (
        select(Workspace.id)
        .where(
            Workspace.group_id == WorkingGroup.id,
            Workspace.platform == platform,
            Workspace.external_id == external_id,
        )
        .exists()
    )


def group_and_member(
    *,
    session: Session,
    platform: str,
    external_id: str | None,
    user_id: str,
    group_id: int | None = None,
    linked_only: bool = False,
) -> tuple[WorkingGroup | None, Member | None]:
    """The group a request is for and the person's member row in it (with its region), in one
    round trip: every command starts with these. The group is ``group_id`` when given, else
    the one the workspace is mapped to, else (unless ``linked_only``) the default group;
    (None, None) when there is none."""
    if group_id is not None:
        choice = "chosen"
    elif external_id is None:
        choice = "default"
    else:
        choice = "linked" if linked_only else "mapped or default"
    parameters = {
        "platform": platform,
        "user_id": user_id,
        "external_id": external_id,
        "group_id": group_id,
    }
    row = session.execute(_group_and_member(choice), parameters).first()
    return (None, None) if row is None else (row[0], row[1])


@cache
def _group_and_member(choice: str) -> Select[tuple[WorkingGroup, Member]]:
    """The statement of ``group_and_member``, built once per way of choosing the group (every
    command runs it: building it each time cost more than running it)."""
    platform = bindparam("platform", type_=String)
    query = (
        select(WorkingGroup, Member)
        .outerjoin(
            Member,
            and_(
                Member.group_id == WorkingGroup.id,
                Member.platform == platform,
                Member.platform_user_id == bindparam("user_id", type_=String),
            ),
        )
        .outerjoin(Region, Region.id == Member.region_id)
        .options(contains_eager(Member.region))
    )
    mapped = _mapped(platform, bindparam("external_id", type_=String))
    if choice == "chosen":
        query = query.where(WorkingGroup.id == bindparam("group_id", type_=Integer))
    elif choice == "default":
        query = query.where(WorkingGroup.is_default.is_(True))
    elif choice == "linked":
        query = query.where(mapped)
    else:
        query = query.where(or_(mapped, WorkingGroup.is_default.is_(True)))
        query = query.order_by(case((mapped, 0), else_=1))
    return query.limit(1)


def all_groups(*, session: Session) -> list[WorkingGroup]:
    return list(session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)))
