"""digest lease: weekly digest claims lapse and are taken over; unconfirmed posts are looked for

A process that died after claiming a week's digest left the claim "sending" for good; digest
runs now carry the same claim columns as reminders (holder, lease, ``unconfirmed_since``).
Runs left "sending" by such a process get a lease that has already run out, so the next tick
takes them over (still within the day's catch-up window). Reminders record when they were
claimed and since when a post may have gone out unrecorded. A digest's channel is as long as
a Teams conversation id, like the group channel it comes from (0007).

Revision ID: 0009_digest_lease
Revises: 0008_form_sessions
Create Date: 2026-11-29 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0009_digest_lease"
down_revision: str | None = "0008_form_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NARROW, WIDE = 64, 512


def _resize_channel(batch_op, old: int, new: int) -> None:
    batch_op.alter_column(
        "channel_id",
        existing_type=sa.String(length=old),
        type_=sa.String(length=new),
        existing_nullable=False,
    )


def _moment(name: str) -> sa.Column:
    return sa.Column(name, storage.models.base.UTCDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(_moment("claimed_at"))
        batch_op.add_column(_moment("unconfirmed_since"))
    # A claim held now was taken at or after the row fell due.
    op.execute("UPDATE reminder SET claimed_at = not_before WHERE status = 'sending'")

    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(_moment("lease_until"))
        batch_op.add_column(_moment("unconfirmed_since"))
        _resize_channel(batch_op, NARROW, WIDE)
    op.execute("UPDATE digest_run SET lease_until = claimed_at WHERE status = 'sending'")


def downgrade() -> None:
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        _resize_channel(batch_op, WIDE, NARROW)
        batch_op.drop_column("unconfirmed_since")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("unconfirmed_since")
        batch_op.drop_column("claimed_at")
