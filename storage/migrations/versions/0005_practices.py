"""practices: the good-practice library with full-text search

Revision ID: 0005_practices
Revises: 0004_teams
Create Date: 2026-11-28 22:17:44.223579

Full-text search is built here by hand, because SQLAlchemy's metadata cannot describe it
(storage.migrate.include_name keeps autogenerate from dropping it):

- SQLite: the FTS5 table ``practice_fts`` (Porter stemming, accents removed), filled by
  triggers on ``practice``. Batch migrations on SQLite rebuild a table and lose its triggers:
  a later migration that alters ``practice`` in batch mode must create the triggers again.
- PostgreSQL: the generated column ``practice.search_vector`` (title weight A, summary and
  themes B, description C) with the GIN index ``ix_practice_search``, in the text search
  configuration ``chemclust_search``: English stemming, and accents removed when the
  ``unaccent`` extension is available.

The letters that have no accent to strip (ł, ß, ø, đ, æ, œ) are folded like storage.text.fold
does: by the SQLite triggers, and by unaccent on PostgreSQL, so "Plock" finds "Płock".
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0005_practices"
down_revision: str | None = "0004_teams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

SEARCHED_COLUMNS = ("title", "summary", "themes", "description")
# Letters Unicode does not decompose into a base letter and an accent (as in storage.text).
SPECIAL_LETTERS = (
    ("ł", "l"),
    ("Ł", "L"),
    ("ß", "ss"),
    ("ẞ", "SS"),
    ("ø", "o"),
    ("Ø", "O"),
    ("đ", "d"),
    ("Đ", "D"),
    ("æ", "ae"),
    ("Æ", "AE"),
    ("œ", "oe"),
    ("Œ", "OE"),
)


def upgrade() -> None:
    op.create_table(
        "practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("themes", sa.String(length=400), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("resources_needed", sa.Text(), nullable=False),
        sa.Column("evidence_of_success", sa.Text(), nullable=False),
        sa.Column("difficulties_met", sa.Text(), nullable=False),
        sa.Column("potential_for_transfer", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("seed_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["member.id"],
            name=op.f("fk_practice_created_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_practice_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_practice_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice")),
        sa.UniqueConstraint("group_id", "seed_key", name=op.f("uq_practice_group_id_seed_key")),
    )
    op.create_index(op.f("ix_practice_group_id"), "practice", ["group_id"], unique=False)
    op.create_table(
        "practice_pilot",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_action.id"],
            name=op.f("fk_practice_pilot_pilot_id_pilot_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_pilot_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "pilot_id", name=op.f("pk_practice_pilot")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_search()
    else:
        _create_sqlite_search()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_practice_search")
        op.execute("ALTER TABLE practice DROP COLUMN IF EXISTS search_vector")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS chemclust_search")
    else:
        for trigger in ("practice_fts_insert", "practice_fts_update", "practice_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS practice_fts")
    op.drop_table("practice_pilot")
    op.drop_index(op.f("ix_practice_group_id"), table_name="practice")
    op.drop_table("practice")


# SQLite ------------------------------------------------------------------------------------


def _sqlite_folded(expression: str) -> str:
    for letter, plain in SPECIAL_LETTERS:
        expression = f"replace({expression}, '{letter}', '{plain}')"
    return expression


def _create_sqlite_search() -> None:
    columns = ", ".join(SEARCHED_COLUMNS)
    # A table with its own copy of the text (not external content): the triggers fold the
    # text, and deleting a row then needs no knowledge of what was indexed.
    op.execute(
        f"CREATE VIRTUAL TABLE practice_fts USING fts5({columns}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    new_values = ", ".join(_sqlite_folded(f"new.{column}") for column in SEARCHED_COLUMNS)
    # Built from the constants above only: no outside text reaches this DDL.
    insert = f"INSERT INTO practice_fts (rowid, {columns}) VALUES (new.id, {new_values});"  # noqa: S608
    op.execute(f"CREATE TRIGGER practice_fts_insert AFTER INSERT ON practice BEGIN {insert} END")
    delete = "DELETE FROM practice_fts WHERE rowid = old.id;"
    op.execute(
        f"CREATE TRIGGER practice_fts_update AFTER UPDATE OF {columns} ON practice "
        f"BEGIN {delete} {insert} END"
    )
    op.execute(f"CREATE TRIGGER practice_fts_delete AFTER DELETE ON practice BEGIN {delete} END")


# PostgreSQL --------------------------------------------------------------------------------


def _unaccent_available() -> bool:
    """Install the unaccent extension if the server has it and we may; say whether it is there."""
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    ).scalar()
    if not available:
        log.warning("PostgreSQL has no unaccent extension: search will be accent-sensitive")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except sa.exc.DBAPIError as error:
        log.warning("cannot create the unaccent extension (%s): search is accent-sensitive", error)
        return False
    return True


def _create_postgresql_search() -> None:
    op.execute("CREATE TEXT SEARCH CONFIGURATION chemclust_search (COPY = english)")
    if _unaccent_available():
        # Words with non-ASCII letters ("Płock", "Ústí") lose their accents before stemming.
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION chemclust_search "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
    weights = {"title": "A", "summary": "B", "themes": "B", "description": "C"}
    vector = " || ".join(
        f"setweight(to_tsvector('chemclust_search'::regconfig, {column}), '{weight}')"
        for column, weight in weights.items()
    )
    op.execute(
        f"ALTER TABLE practice ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({vector}) "
        "STORED"
    )
    # Practices are read far more often than written: new entries go straight into the index
    # instead of a pending list, which searches would have to scan (and which makes the planner
    # shun the index until a vacuum flushes it, e.g. right after an import).
    op.execute(
        "CREATE INDEX ix_practice_search ON practice USING gin (search_vector) "
        "WITH (fastupdate = off)"
    )
