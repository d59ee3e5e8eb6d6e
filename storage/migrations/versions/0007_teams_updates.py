"""teams updates: conversation-sized channel ids for pilot updates, linked channels, digests

Teams names a personal chat with the bot "a:1…" (well over 100 characters) and a meeting chat
"19:meeting_…@thread.v2"; pilot updates written there are stored under that id, so the column
takes what a Teams conversation id takes (CONVERSATION_ID_LENGTH). The group's digest channel
(``/chemclust channel`` typed in Teams) is such an id too.

Revision ID: 0007_teams_updates
Revises: 0006_pilot_updates
Create Date: 2026-11-28 23:41:37.348328
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_teams_updates"
down_revision: str | None = "0006_pilot_updates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIDE, NARROW = 512, 64
# (table, nullable)
TABLES = (("pilot_channel", False), ("pilot_update", True), ("group_channel", False))


def _resize(old: int, new: int) -> None:
    for table, nullable in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "channel_id",
                existing_type=sa.String(length=old),
                type_=sa.String(length=new),
                existing_nullable=nullable,
            )


def upgrade() -> None:
    _resize(NARROW, WIDE)


def downgrade() -> None:
    _resize(WIDE, NARROW)
