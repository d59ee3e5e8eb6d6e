"""pilot progress: updates, milestones, linked channels; group channel, digests, seen events

Revision ID: 0006_pilot_updates
Revises: 0005_practices
Create Date: 2026-11-28 22:18:26.948936
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0006_pilot_updates"
down_revision: str | None = "0005_practices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seen_event")),
        sa.UniqueConstraint("platform", "event_id", name=op.f("uq_seen_event_platform_event_id")),
    )
    op.create_index("ix_seen_event_created_at", "seen_event", ["created_at"])

    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('sending', 'sent', 'failed')", name=op.f("ck_digest_run_status")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_digest_run_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_run")),
        sa.UniqueConstraint(
            "group_id", "platform", "week_of", name=op.f("uq_digest_run_group_id_platform_week_of")
        ),
    )
    op.create_table(
        "group_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("channel_name", sa.String(length=200), nullable=True),
        sa.Column("set_by", sa.String(length=128), nullable=False),
        sa.Column("set_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_group_channel_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_channel")),
        sa.UniqueConstraint(
            "group_id", "platform", name=op.f("uq_group_channel_group_id_platform")
        ),
    )
    op.create_table(
        "pilot_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("linked_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_pilot_channel_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_action.id"],
            name=op.f("fk_pilot_channel_pilot_id_pilot_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_channel")),
        sa.UniqueConstraint(
            "platform", "channel_id", name=op.f("uq_pilot_channel_platform_channel_id")
        ),
    )
    op.create_table(
        "pilot_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=128), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_pilot_milestone_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_action.id"],
            name=op.f("fk_pilot_milestone_pilot_id_pilot_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_milestone")),
        sa.UniqueConstraint("pilot_id", "number", name=op.f("uq_pilot_milestone_pilot_id_number")),
    )
    op.create_table(
        "pilot_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.String(length=128), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=True),
        sa.Column("logged_by", sa.String(length=128), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("permalink", sa.String(length=500), nullable=True),
        sa.Column("posted_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "source IN ('message', 'shortcut', 'command')", name=op.f("ck_pilot_update_source")
        ),
        sa.CheckConstraint(
            "status IN ('on_track', 'delayed', 'done')", name=op.f("ck_pilot_update_status")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_pilot_update_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["pilot_milestone.id"],
            name=op.f("fk_pilot_update_milestone_id_pilot_milestone"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_action.id"],
            name=op.f("fk_pilot_update_pilot_id_pilot_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_pilot_update_region_id_region"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_update")),
        sa.UniqueConstraint(
            "platform",
            "channel_id",
            "message_id",
            name=op.f("uq_pilot_update_platform_channel_id_message_id"),
        ),
    )
    op.create_index("ix_pilot_update_group_posted", "pilot_update", ["group_id", "posted_at"])


def downgrade() -> None:
    op.drop_index("ix_pilot_update_group_posted", table_name="pilot_update")
    op.drop_table("pilot_update")
    op.drop_table("pilot_milestone")
    op.drop_table("pilot_channel")
    op.drop_table("group_channel")
    op.drop_table("digest_run")
    op.drop_index("ix_seen_event_created_at", table_name="seen_event")
    op.drop_table("seen_event")
