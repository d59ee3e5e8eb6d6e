"""indexes for reads in proportion to the answer; a version of each edition's figures

Lists of events read the few they show in time order (``ix_event_group_starts``) and count
the rest from an index alone (``ix_event_group_kind_starts``); a pilot's
status reads the newest update of each region (``ix_pilot_update_pilot_region_posted``) rather
than the pilot's whole history. ``benchmark_edition.figures_version`` changes whenever an
edition's figures do, so that processes keeping scored benchmarks in memory know to redo them;
editions that exist already start with the empty version.

Revision ID: 0013_indexes
Revises: 0009_digest_lease
Create Date: 2026-12-02 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_indexes"
down_revision: str | None = "0011_recommendations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_event_group_starts", "event", ["group_id", "starts_at"])
    op.create_index(
        "ix_event_group_kind_starts", "event", ["group_id", "kind", "starts_at", "status"]
    )
    op.create_index(
        "ix_pilot_update_pilot_region_posted",
        "pilot_update",
        ["pilot_id", "region_id", "posted_at"],
    )
    with op.batch_alter_table("benchmark_edition", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("figures_version", sa.String(length=32), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("benchmark_edition", schema=None) as batch_op:
        batch_op.drop_column("figures_version")
    op.drop_index("ix_pilot_update_pilot_region_posted", table_name="pilot_update")
    op.drop_index("ix_event_group_kind_starts", table_name="event")
    op.drop_index("ix_event_group_starts", table_name="event")
