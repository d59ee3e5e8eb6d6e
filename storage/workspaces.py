"""Which chat workspaces a working group has, and the one-time invitations that link more."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import WorkingGroup, Workspace, WorkspaceInvitation


def linked_group(*, session: Session, platform: str, external_id: str) -> WorkingGroup | None:
    """The group a workspace was linked to, or None: it belongs to none."""
    return session.scalar(
        select(WorkingGroup)
        .join(Workspace, Workspace.group_id == WorkingGroup.id)
        .where(Workspace.platform == platform, Workspace.external_id == external_id)
    )


def link_workspace(
    *,
    session: Session,
    group_id: int,
    platform: str,
    external_id: str,
    name: str | None = None,
    organisation_id: str | None = None,
) -> Workspace:
    workspace = Workspace(
        platform=platform,
        external_id=external_id,
        group_id=group_id,
        name=name,
        organisation_id=organisation_id,
    )
    session.add(workspace)
    session.flush()
    return workspace


def record_organisation(
    *, session: Session, platform: str, external_id: str, organisation_id: str
) -> bool:
    """Note the organisation a linked workspace belongs to; True when that changed it. Read
    first: most requests find it noted already, and a read takes no writer's lock (SQLite)."""
    workspace = session.scalar(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )
    if workspace is None or workspace.organisation_id == organisation_id:
        return False
    workspace.organisation_id = organisation_id
    session.flush()
    return True


def workspace_organisation(*, session: Session, platform: str, external_id: str) -> str | None:
    return session.scalar(
        select(Workspace.organisation_id).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )


def unlink_workspace(*, session: Session, group_id: int, platform: str, external_id: str) -> bool:
    removed = session.execute(
        delete(Workspace).where(
            Workspace.group_id == group_id,
            Workspace.platform == platform,
            Workspace.external_id == external_id,
        )
    )
    return bool(removed.rowcount)


def group_workspaces(*, session: Session, group_id: int) -> list[Workspace]:
    return list(
        session.scalars(
            select(Workspace).where(Workspace.group_id == group_id).order_by(Workspace.created_at)
        )
    )


def code_hash(code: str) -> str:
    """What is kept of an invitation code: its SHA-256, so the table gives no code away."""
    return hashlib.sha256(code.encode()).hexdigest()


def add_invitation(
    *,
    session: Session,
    group_id: int,
    platform: str,
    code: str,
    created_by: str,
    now: datetime,
    expires_at: datetime,
) -> WorkspaceInvitation:
    invitation = WorkspaceInvitation(
        group_id=group_id,
        code_hash=code_hash(code),
        platform=platform,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(invitation)
    session.flush()
    return invitation


def use_invitation(
    *, session: Session, code: str, platform: str, workspace: str, now: datetime
) -> WorkspaceInvitation | None:
    """Use the invitation ``code`` up for ``workspace``: one statement, so a code accepted twice
    at once links one workspace. None when no such code is open (unknown, used, expired)."""
    used = session.execute(
        update(WorkspaceInvitation)
        .where(
            WorkspaceInvitation.code_hash == code_hash(code),
            WorkspaceInvitation.platform == platform,
            WorkspaceInvitation.used_at.is_(None),
            WorkspaceInvitation.expires_at > now,
        )
        .values(used_at=now, used_by_workspace=workspace)
    )
    if not used.rowcount:
        return None
    return session.scalar(
        select(WorkspaceInvitation).where(WorkspaceInvitation.code_hash == code_hash(code))
    )


def find_invitation(*, session: Session, code: str) -> WorkspaceInvitation | None:
    return session.scalar(
        select(WorkspaceInvitation).where(WorkspaceInvitation.code_hash == code_hash(code))
    )
