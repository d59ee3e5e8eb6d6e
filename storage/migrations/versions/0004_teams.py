"""Teams conversation references (for proactive messages) and seen activities (retries)

Revision ID: 0004_teams
Revises: 0003_events_reminders
Create Date: 2026-11-28 22:21:44.577990
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0004_teams"
down_revision: str | None = "0003_events_reminders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_conversation",
        sa.Column("conversation_id", sa.String(length=512), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("conversation_type", sa.String(length=32), nullable=True),
        sa.Column("personal_user_id", sa.String(length=128), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_teams_conversation_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_teams_conversation")),
    )
    op.create_index(
        op.f("ix_teams_conversation_personal_user_id"),
        "teams_conversation",
        ["personal_user_id"],
        unique=False,
    )
    op.create_table(
        "teams_seen_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.String(length=128), nullable=False),
        sa.Column("conversation_id", sa.String(length=512), nullable=False),
        sa.Column("seen_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams_seen_activity")),
        sa.UniqueConstraint(
            "activity_id",
            "conversation_id",
            name=op.f("uq_teams_seen_activity_activity_id_conversation_id"),
        ),
    )
    op.create_index(
        op.f("ix_teams_seen_activity_seen_at"), "teams_seen_activity", ["seen_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_teams_seen_activity_seen_at"), table_name="teams_seen_activity")
    op.drop_table("teams_seen_activity")
    op.drop_index(op.f("ix_teams_conversation_personal_user_id"), table_name="teams_conversation")
    op.drop_table("teams_conversation")
