"""Good practices: what a region did that worked and that other regions may learn from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.member import Member
from storage.models.pilot import PilotAction
from storage.models.region import Region

# Themes are stored in the practice row, canonical names joined by this separator, main theme
# first. Keeping them in the row lets both databases index them for full-text search from the
# row alone (an SQLite trigger, a PostgreSQL generated column); the vocabulary is closed
# (storage.practice_themes), so filtering on a name is exact.
THEME_SEPARATOR = "; "

practice_pilot = Table(
    "practice_pilot",
    Base.metadata,
    Column("practice_id", ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    Column("pilot_id", ForeignKey("pilot_action.id", ondelete="CASCADE"), primary_key=True),
)


class Practice(Base):
    """One record of the good-practice library.

    Full-text search uses objects the models do not describe (see storage.migrate's
    ``include_name``): the SQLite FTS5 table ``practice_fts`` kept in sync by triggers, and on
    PostgreSQL the generated column ``search_vector`` with its GIN index.
    """

    __tablename__ = "practice"
    __table_args__ = (UniqueConstraint("group_id", "seed_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    # One of the inventory's three headings (storage.practice_fields.CATEGORIES), or empty.
    category: Mapped[str] = mapped_column(String(60), default="")
    themes: Mapped[str] = mapped_column(String(400))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    resources_needed: Mapped[str] = mapped_column(Text, default="")
    evidence_of_success: Mapped[str] = mapped_column(Text, default="")
    difficulties_met: Mapped[str] = mapped_column(Text, default="")
    potential_for_transfer: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    # The year the practice started, when known.
    year: Mapped[int | None] = mapped_column(Integer)
    is_sample: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    # Identifies rows written by the seed so that seeding stays idempotent.
    seed_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship()
    pilots: Mapped[list[PilotAction]] = relationship(
        secondary=practice_pilot, order_by=PilotAction.id
    )
    created_by: Mapped[Member | None] = relationship()

    @property
    def theme_names(self) -> list[str]:
        """The themes, main theme first."""
        return split_themes(self.themes)

    @property
    def main_theme(self) -> str:
        names = self.theme_names
        return names[0] if names else ""


def split_themes(themes: str) -> list[str]:
    """The theme names held in a practice's ``themes`` column, main theme first."""
    return [name.strip() for name in themes.split(THEME_SEPARATOR.strip()) if name.strip()]
