"""The seeded library: 25 labelled sample practices from nine regions, added only once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Practice
from storage.practice_fields import is_web_address
from storage.practices import list_practices
from tests.support.practices import GROUP_ID


def test_the_seed_holds_25_sample_practices_from_nine_regions_and_three_categories(sessions):
    with sessions() as session:
        practices = list_practices(session=session, group_id=GROUP_ID)
        regions = Counter(p.region.name for p in practices)
        categories = Counter(p.category for p in practices)
        assert len(practices) == 25
        assert all(p.is_sample for p in practices)
        assert len(regions) == 9
        assert "Schleswig-Holstein" not in regions
        assert set(categories) == {
            "Jointly used R&D facilities",
            "Training",
            "Soft support services",
        }
        assert all(p.theme_names and p.summary and p.description for p in practices)
        assert all(is_web_address(p.link) for p in practices if p.link)
        brightlands = next(p for p in practices if "Brightlands" in p.title)
        assert {pilot.key for pilot in brightlands.pilots} == {"open-innovation", "parks"}
        assert "4.5 million euro" in brightlands.description


def test_seeding_again_adds_nothing_and_keeps_edits(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        first = session.scalar(select(Practice).order_by(Practice.id).limit(1))
        first.title = "Renamed by a coordinator"
    upgrade(engine)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Practice)) == 25
        assert session.get(Practice, first.id).title == "Renamed by a coordinator"
    engine.dispose()
