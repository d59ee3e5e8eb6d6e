"""ChemClust's own seed is a group file: it passes the checker of ``group create --config``,
it is what the default group is made of, and loading it again never undoes a coordinator."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from storage.db import make_engine, make_session_factory
from storage.group_file import read_group_file
from storage.groups import default_group
from storage.migrate import upgrade
from storage.models import Indicator, PilotAction, Region, RegionAlias
from storage.regions import resolve_region
from storage.seed import CHEMCLUST_FILE


def shipped_file() -> str:
    return resources.files("storage.seed").joinpath(CHEMCLUST_FILE).read_text(encoding="utf-8")


def test_the_shipped_chemclust_file_passes_the_group_file_checker():
    spec, problems, slug_line = read_group_file(shipped_file())
    assert problems == []
    assert spec is not None
    assert (spec.slug, spec.name, spec.timezone) == (
        "chemclust",
        "ChemClust Interregional Working Group",
        "Europe/Brussels",
    )
    assert slug_line == 7
    assert len(spec.regions) == 10
    assert [p.key for p in spec.pilots] == ["parks", "open-innovation", "skills"]
    assert [i.code for i in spec.indicators][-1] == "PERMIT"
    assert spec.indicators[-1].higher_is_better is False
    assert spec.coordinator is None


def test_the_default_group_is_made_of_the_file(database_url):
    spec, _, _ = read_group_file(shipped_file())
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        group = default_group(session=session)
        regions = {
            r.key: r for r in session.scalars(select(Region).where(Region.group_id == group.id))
        }
        assert {(r.key, r.name, r.country, r.nuts_code, r.cluster) for r in spec.regions} == {
            (r.key, r.name, r.country, r.nuts_code, r.cluster) for r in regions.values()
        }
        # The further NUTS codes and the aliases find their region.
        for query, key in [
            ("DEA3", "north-rhine-westphalia"),
            ("PL12", "masovia"),
            ("Teesside", "tees-valley"),
        ]:
            assert (
                resolve_region(session=session, group_id=group.id, query=query).match
                is regions[key]
            )
        pilots = session.scalars(select(PilotAction).where(PilotAction.group_id == group.id))
        assert {p.key: sorted(r.key for r in p.regions) for p in pilots} == {
            p.key: sorted(p.region_keys) for p in spec.pilots
        }
        indicators = session.scalars(
            select(Indicator).where(Indicator.group_id == group.id).order_by(Indicator.position)
        )
        assert [(i.code, i.unit, i.higher_is_better) for i in indicators] == [
            (i.code, i.unit, i.higher_is_better) for i in spec.indicators
        ]
    engine.dispose()


def test_loading_the_file_again_keeps_a_coordinators_edits(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        group = default_group(session=session)
        limburg = session.scalar(select(Region).where(Region.key == "limburg"))
        limburg.name = "Limburg (NL) province"
        session.execute(RegionAlias.__table__.delete().where(RegionAlias.alias == "Chemelot"))
        skills = session.scalar(select(PilotAction).where(PilotAction.key == "skills"))
        skills.name = "Skills for chemistry"
        permit = session.scalar(select(Indicator).where(Indicator.code == "PERMIT"))
        permit.unit = "weeks"
        session.delete(session.scalar(select(Indicator).where(Indicator.code == "SKILLS")))
        aliases = session.scalar(select(func.count()).select_from(RegionAlias))
    upgrade(engine)
    with sessions() as session:
        assert session.scalar(select(Region.name).where(Region.key == "limburg")) == (
            "Limburg (NL) province"
        )
        assert session.scalar(select(PilotAction.name).where(PilotAction.key == "skills")) == (
            "Skills for chemistry"
        )
        assert session.scalar(select(Indicator.unit).where(Indicator.code == "PERMIT")) == "weeks"
        # What is missing is added back (seeding is additive), the rest left as edited.
        assert session.scalar(select(func.count()).select_from(RegionAlias)) == aliases + 1
        assert session.scalar(select(Indicator.code).where(Indicator.code == "SKILLS")) == "SKILLS"
        assert group.slug == "chemclust"
    engine.dispose()


def test_further_nuts_codes_are_checked_by_line():
    wrong = (
        "name: G\nslug: g-group\ntimezone: Europe/Rome\nregions:\n"
        "  - name: Novara\n    country: IT\n    nuts: ITC15\n    nuts_aliases: [ITC1, novara]\n"
        "pilots:\n  - name: P\n    regions: [Novara]\n"
        "indicators:\n  - code: X\n    name: X\n    unit: n\n    direction: higher\n"
    )
    spec, problems, _ = read_group_file(wrong)
    assert spec is None
    assert problems == ["line 8: region 'Novara': nuts_aliases: 'novara' should look like 'NL421'"]


def test_the_readmes_example_passes_the_checker():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Creating a working group") :]
    example = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    spec, problems, _ = read_group_file(example)
    assert problems == []
    assert spec is not None
    assert spec.regions[0].nuts_aliases == ("SE33",)
