"""``open_consultations_for``: what a Home tab will show a region's members (item 3 of issue 17,
ready for when the Home tab exists)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import Region
from storage.recommendations import open_consultations_for
from tests.commands.recommendations.test_recommendations import ADD, LIMBURG, MASOVIA
from tests.conftest import FIXED_NOW


def test_open_consultations_await_only_the_regions_that_have_not_endorsed(
    core, sessions, coordinator
):
    core.run_line(MASOVIA, "/chemclust join Masovia")
    core.run_line(LIMBURG, "/chemclust join Limburg")
    core.run_line(coordinator, ADD)
    core.run_line(coordinator, ADD.replace("Shared pilot plants", "Still a draft"))
    core.run_line(MASOVIA, "/recommendation endorse R1")
    core.run_line(coordinator, "/recommendation consult R1 until 2 Dec 17:00")
    with sessions() as session:
        masovia = session.scalar(select(Region).where(Region.name == "Masovia"))
        limburg = session.scalar(select(Region).where(Region.name == "Limburg"))
        assert open_consultations_for(masovia, session=session, now=FIXED_NOW) == []
        waiting = open_consultations_for(limburg, session=session, now=FIXED_NOW)
        assert [r.ref for r in waiting] == ["R1"]
        later = FIXED_NOW + timedelta(days=5)
        assert open_consultations_for(limburg, session=session, now=later) == []
