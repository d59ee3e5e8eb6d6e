"""form sessions kept on the server; Teams deliveries claimed with the others

A form's state, person and channel stay in ``form_session``; clients hold a token only.
Teams activities are now claimed in ``seen_event`` inside the transaction that does their
work (as Slack events are), so the separate ``teams_seen_activity`` table goes.

Revision ID: 0008_form_sessions
Revises: 0007_teams_updates
Create Date: 2026-11-29 20:55:07.721480
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0008_form_sessions"
down_revision: str | None = "0007_teams_updates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=512), nullable=True),
        sa.Column("parent_channel_id", sa.String(length=512), nullable=True),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_form_session_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_session")),
        sa.UniqueConstraint("token", name=op.f("uq_form_session_token")),
    )
    with op.batch_alter_table("form_session", schema=None) as batch_op:
        batch_op.create_index("ix_form_session_expires_at", ["expires_at"], unique=False)

    with op.batch_alter_table("teams_seen_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_seen_activity_seen_at"))

    op.drop_table("teams_seen_activity")


def downgrade() -> None:
    op.create_table(
        "teams_seen_activity",
        sa.Column("id", sa.INTEGER(), nullable=False),
        sa.Column("activity_id", sa.VARCHAR(length=128), nullable=False),
        sa.Column("conversation_id", sa.VARCHAR(length=512), nullable=False),
        sa.Column("seen_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams_seen_activity")),
        sa.UniqueConstraint(
            "activity_id",
            "conversation_id",
            name=op.f("uq_teams_seen_activity_activity_id_conversation_id"),
        ),
    )
    with op.batch_alter_table("teams_seen_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_teams_seen_activity_seen_at"), ["seen_at"], unique=False
        )

    with op.batch_alter_table("form_session", schema=None) as batch_op:
        batch_op.drop_index("ix_form_session_expires_at")

    op.drop_table("form_session")
