"""events and reminders: short ids, channels, lead times, deliveries, reminder rows, calendar feeds

Revision ID: 0003_events_reminders
Revises: 0002_benchmark_data
Create Date: 2026-11-28 22:17:03.556675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0003_events_reminders"
down_revision: str | None = "0002_benchmark_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_calendar_feed_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("group_id", name=op.f("uq_calendar_feed_group_id")),
        sa.UniqueConstraint("token", name=op.f("uq_calendar_feed_token")),
    )
    op.create_table(
        "event_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("delivered_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_delivery_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["member.id"],
            name=op.f("fk_event_delivery_recorded_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_event_delivery_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_delivery")),
        sa.UniqueConstraint(
            "event_id", "region_id", name=op.f("uq_event_delivery_event_id_region_id")
        ),
    )
    op.create_table(
        "event_region",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_region_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_event_region_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "region_id", name=op.f("pk_event_region")),
    )
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("not_before", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("target", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "first_failure_at", storage.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("sent_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("message_ref", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('lead', 'chase', 'direct', 'notice')", name=op.f("ck_reminder_kind")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled')",
            name=op.f("ck_reminder_status"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_reminder_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_reminder_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["reminder.id"],
            name=op.f("fk_reminder_parent_id_reminder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_reminder_dedupe_key")),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index("ix_reminder_due", ["status", "not_before"], unique=False)

    # Existing events (the seeded history) get numbers 1, 2, … per group in the order they
    # were added, and no lead times; then the columns become required.
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("platform", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("conversation", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("lead_minutes", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE event SET number = (SELECT COUNT(*) FROM event AS earlier "
        "WHERE earlier.group_id = event.group_id AND earlier.id <= event.id)"
    )
    op.execute("UPDATE event SET lead_minutes = '[]'")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("lead_minutes", existing_type=sa.JSON(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_event_group_id_number"), ["group_id", "number"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_event_created_by_id_member"),
            "member",
            ["created_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_event_created_by_id_member"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_event_group_id_number"), type_="unique")
        batch_op.drop_column("created_by_id")
        batch_op.drop_column("lead_minutes")
        batch_op.drop_column("conversation")
        batch_op.drop_column("platform")
        batch_op.drop_column("number")

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_due")

    op.drop_table("reminder")
    op.drop_table("event_region")
    op.drop_table("event_delivery")
    op.drop_table("calendar_feed")
