"""benchmark data: uploads waiting for import

Revision ID: 0002_benchmark_data
Revises: 0001_foundation
Create Date: 2026-11-28 22:16:18.576330
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0002_benchmark_data"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "benchmark_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=255), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("edition_label", sa.String(length=80), nullable=True),
        sa.Column("edition_year", sa.Integer(), nullable=True),
        sa.Column("replace", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'imported', 'discarded')",
            name=op.f("ck_benchmark_upload_status"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_benchmark_upload_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_benchmark_upload_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_upload")),
        sa.UniqueConstraint(
            "group_id", "source_ref", name=op.f("uq_benchmark_upload_group_id_source_ref")
        ),
        sa.UniqueConstraint("token", name=op.f("uq_benchmark_upload_token")),
    )


def downgrade() -> None:
    op.drop_table("benchmark_upload")
