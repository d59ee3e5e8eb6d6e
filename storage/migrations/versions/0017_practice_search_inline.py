"""practice search vectors kept in the row (PostgreSQL)

A search ranks every practice that matches (``/practice training`` matches half of a large
library) and so reads each match's ``search_vector``. A row with a long description passes
PostgreSQL's two-kilobyte mark, and the vector, being the largest compressible value, went
to the TOAST table: every rank fetched it back through the TOAST index, most of a search's
time. ``STORAGE MAIN`` keeps the vector in the row (compressed) and moves the long texts,
which a search never reads, out first. Rewriting each row's vector (``title = title``
recomputes the generated column) moves existing rows too. SQLite keeps its FTS5 table and is
untouched.

Revision ID: 0017_practice_search_inline
Revises: 0016_workspace_organisation
Create Date: 2026-11-30 00:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_practice_search_inline"
down_revision: str | None = "0016_workspace_organisation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE practice ALTER COLUMN search_vector SET STORAGE MAIN")
    op.execute("UPDATE practice SET title = title")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE practice ALTER COLUMN search_vector SET STORAGE EXTENDED")
