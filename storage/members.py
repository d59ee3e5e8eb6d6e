"""Members of a working group: their region and role, per platform identity."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage.models import PARTNER, ROLES, Member, Region
from storage.once import get_or_add


def get_member(*, session: Session, group_id: int, platform: str, user_id: str) -> Member | None:
    return session.scalar(
        select(Member)
        .options(joinedload(Member.region))  # one round trip: every request asks
        .where(
            Member.group_id == group_id,
            Member.platform == platform,
            Member.platform_user_id == user_id,
        )
    )


def ensure_member(
    *,
    session: Session,
    group_id: int,
    platform: str,
    user_id: str,
    display_name: str | None = None,
    workspace_id: str | None = None,
) -> Member:
    """The member row for this identity, created as a partner without region if new.

    Two processes may create the same member at once; the unique constraint decides and
    the loser reads the winner's row.
    """
    member, new = get_or_add(
        session,
        lambda: get_member(session=session, group_id=group_id, platform=platform, user_id=user_id),
        lambda: Member(
            group_id=group_id,
            platform=platform,
            platform_user_id=user_id,
            display_name=display_name,
            role=PARTNER,
            workspace_id=workspace_id,
        ),
    )
    if not new and display_name and member.display_name != display_name:
        member.display_name = display_name
    return member


def join_region(
    *,
    session: Session,
    group_id: int,
    platform: str,
    user_id: str,
    region: Region,
    display_name: str | None = None,
    workspace_id: str | None = None,
) -> Member:
    member = ensure_member(
        session=session,
        group_id=group_id,
        platform=platform,
        user_id=user_id,
        display_name=display_name,
        workspace_id=workspace_id,
    )
    member.region = region
    session.flush()
    return member


def set_role(
    *,
    session: Session,
    group_id: int,
    platform: str,
    user_id: str,
    role: str,
    display_name: str | None = None,
) -> Member:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    member = ensure_member(
        session=session,
        group_id=group_id,
        platform=platform,
        user_id=user_id,
        display_name=display_name,
    )
    member.role = role
    session.flush()
    return member


class RosterEntry(NamedTuple):
    """What a list of who is who shows of a member."""

    platform_user_id: str
    display_name: str | None
    region_id: int | None
    role: str


def list_members(*, session: Session, group_id: int) -> list[RosterEntry]:
    """Every current member, as plain rows: a group of thousands is listed in milliseconds,
    where whole records with their regions took a second."""
    rows = session.execute(
        select(Member.platform_user_id, Member.display_name, Member.region_id, Member.role)
        .where(Member.group_id == group_id, Member.forgotten_at.is_(None))
        .order_by(Member.platform, Member.display_name, Member.platform_user_id)
    )
    return [RosterEntry(*row) for row in rows]
