"""recommendations: joint policy recommendations, their endorsements and comments

A recommendation is drafted, put to consultation until a time (its close is announced where
it was opened) and adopted; each region endorses it at most once. Reminders of a consultation
are ordinary reminder rows whose payload names the recommendation: no change to ``reminder``.

Revision ID: 0011_recommendations
Revises: 0009_digest_lease
Create Date: 2026-11-30 00:13:32.822110
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0011_recommendations"
down_revision: str | None = "0010_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closes_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=True),
        sa.Column("conversation", sa.JSON(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("adopted_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("adopted_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "level IN ('european', 'regional')", name=op.f("ck_recommendation_level")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'consultation', 'adopted')", name=op.f("ck_recommendation_status")
        ),
        sa.ForeignKeyConstraint(
            ["adopted_by_id"],
            ["member.id"],
            name=op.f("fk_recommendation_adopted_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["member.id"],
            name=op.f("fk_recommendation_created_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_recommendation_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_action.id"],
            name=op.f("fk_recommendation_pilot_id_pilot_action"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation")),
    )
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendation_group_id"), ["group_id"], unique=False)

    op.create_table(
        "recommendation_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_recommendation_comment_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_comment_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_recommendation_comment_region_id_region"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_comment")),
    )
    with op.batch_alter_table("recommendation_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_comment_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "recommendation_endorsement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("endorsed_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_recommendation_endorsement_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_endorsement_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_recommendation_endorsement_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_endorsement")),
        sa.UniqueConstraint(
            "recommendation_id",
            "region_id",
            name=op.f("uq_recommendation_endorsement_recommendation_id_region_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("recommendation_endorsement")
    with op.batch_alter_table("recommendation_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_comment_recommendation_id"))

    op.drop_table("recommendation_comment")
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_group_id"))

    op.drop_table("recommendation")
