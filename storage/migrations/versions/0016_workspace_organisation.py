"""workspace organisation: the Enterprise Grid org a linked workspace belongs to

An app installed org-wide has one installation for the org and none for its workspaces;
reminders, digests and direct messages to a workspace find the org's token through this.

Revision ID: 0016_workspace_organisation
Revises: 0015_workspaces
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_workspace_organisation"
down_revision: str | None = "0015_workspaces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(sa.Column("organisation_id", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("organisation_id")
