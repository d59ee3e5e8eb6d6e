"""``chemclust-bot group create --config FILE.yml``: a working group from a file, refused whole
with every problem by line when wrong, and kept apart from ChemClust once created."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.console.render import render
from commands.context import Identity
from storage.groups import group_by_slug
from storage.models import (
    Indicator,
    Member,
    PilotAction,
    Region,
    RegionAlias,
    WorkingGroup,
)
from tests.support.groups import BATTERIES_FILE, add_sample_figures

GROUP_FILE = BATTERIES_FILE

WRONG_FILE = """\
name: Broken Group
slug: Not A Slug
timezone: Europe/Nowhere
regions:
  - name: Västerbotten
    country: Sweden
    nuts: SE331
  - name: Skåne
    aliases: [Vasterbotten]
    country: SE
    nuts: SE224
pilots:
  - name: Cell recycling
    regions: [Västerbotten, Atlantis]
indicators:
  - code: GIGA
    name: Cell factory capacity
    direction: more
colour: blue
"""


@pytest.fixture
def created(db_cli, database_url) -> str:
    code, out, err = db_cli(database_url, "group", "create", "--config", str(GROUP_FILE))
    assert (code, err) == (0, ""), err
    return out


def test_a_good_file_creates_the_group_with_what_it_lists(created, db_cli, database_url, sessions):
    assert created.startswith("Created working group batteries (Batteries Valley Working Group)")
    assert "2 regions, 1 pilot actions, 1 indicators" in created
    with sessions() as session:
        group = group_by_slug(session=session, slug="batteries")
        assert group is not None
        assert (group.timezone, group.is_default) == ("Europe/Stockholm", False)
        regions = session.scalars(select(Region).where(Region.group_id == group.id)).all()
        assert {(r.name, r.country, r.nuts_code) for r in regions} == {
            ("Västerbotten", "SE", "SE331"),
            ("Nouvelle-Aquitaine", "FR", "FRI"),
        }
        aliases = set(
            session.scalars(select(RegionAlias.alias).where(RegionAlias.group_id == group.id))
        )
        assert {"Skelleftea region", "SE331", "FRI"} <= aliases
        (pilot,) = session.scalars(select(PilotAction).where(PilotAction.group_id == group.id))
        assert [r.name for r in pilot.regions] == ["Nouvelle-Aquitaine", "Västerbotten"]
        (indicator,) = session.scalars(select(Indicator).where(Indicator.group_id == group.id))
        assert (indicator.code, indicator.unit, indicator.higher_is_better) == (
            "GIGA",
            "GWh per year",
            True,
        )
        (coordinator,) = session.scalars(select(Member).where(Member.group_id == group.id))
        assert (coordinator.platform_user_id, coordinator.role) == ("UBATT01", "coordinator")

    code, out, _ = db_cli(database_url, "group", "list")
    assert code == 0
    assert "batteries: Batteries Valley Working Group, Europe/Stockholm; workspaces: none" in out


def test_a_wrong_file_is_refused_whole_with_every_problem_by_line(
    db_cli, database_url, sessions, tmp_path
):
    wrong = tmp_path / "broken.yml"
    wrong.write_text(WRONG_FILE, encoding="utf-8")
    code, out, err = db_cli(database_url, "group", "create", "--config", str(wrong))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == f"chemclust-bot: {wrong} was not loaded; nothing was written:"
    problems = [line.removeprefix(f"  {wrong}, ") for line in lines[1:]]
    assert problems == [
        "line 19: the file has no field `colour` (fields: coordinator, indicators, name, "
        "pilots, regions, slug, timezone)",
        "line 2: the file: `slug` 'Not A Slug' should look like 'batteries'",
        "line 3: no time zone 'Europe/Nowhere'; write one like `Europe/Brussels`",
        "line 6: region 'Västerbotten': `country` 'Sweden' should look like 'NL'",
        "line 9: region 'Skåne': 'Vasterbotten' already names another region",
        "line 14: pilot 'Cell recycling': no partner region 'Atlantis' in this file",
        "line 16: indicator 'GIGA' needs `unit`, e.g. `unit: % of GDP`",
        "line 18: indicator 'GIGA': `direction` is `higher` or `lower` (which is better)",
    ]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WorkingGroup)) == 1


def test_a_taken_slug_and_a_file_that_is_no_yaml_are_refused(
    created, db_cli, database_url, sessions, tmp_path
):
    code, _, err = db_cli(database_url, "group", "create", "--config", str(GROUP_FILE))
    assert code == 1
    assert "line 3: the slug 'batteries' is taken; choose another" in err

    not_yaml = tmp_path / "not.yml"
    not_yaml.write_text("name: A\nregions: [unclosed\n", encoding="utf-8")
    code, _, err = db_cli(database_url, "group", "create", "--config", str(not_yaml))
    assert code == 1
    assert "line 3: this is not YAML" in err
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WorkingGroup)) == 2


def test_the_second_group_sees_only_its_own_data_and_chemclust_none_of_it(
    created, db_cli, database_url, sessions, core, partner
):
    assert db_cli(database_url, "group", "link", "T0002", "--group", "batteries")[0] == 0
    add_sample_figures(sessions)
    battery_member = Identity(
        platform="slack", user_id="UBATT02", workspace_id="T0002", channel_id="CBATT"
    )

    def answer(who: Identity, command: str, arguments: str = "") -> str:
        reply = core.run_command(who, command, arguments)
        assert reply is not None
        return render(reply)

    profile = answer(battery_member, "benchmark", "Vasterbotten")
    assert "Västerbotten: benchmark 2024 pilot" in profile
    assert "Cell factory capacity" in profile
    assert "illustrative" in profile.lower()
    league = answer(battery_member, "benchmark")
    assert "Västerbotten" in league
    assert "Nouvelle-Aquitaine" in league
    assert "Limburg" not in league
    assert "partner region called “Limburg”" in answer(battery_member, "benchmark", "Limburg")
    pilots = answer(battery_member, "pilot")
    assert "Cell recycling" in pilots
    assert "Open innovation" not in pilots
    assert "The library has no practices yet" in answer(battery_member, "practice")
    assert "No practice matches “innovation”" in answer(battery_member, "practice", "innovation")

    assert "partner region called “Vasterbotten”" in answer(partner, "benchmark", "Vasterbotten")
    chemclust_league = answer(partner, "benchmark")
    assert "Limburg" in chemclust_league
    assert "Västerbotten" not in chemclust_league
    chemclust_pilots = answer(partner, "pilot")
    assert "Open innovation" in chemclust_pilots
    assert "Cell recycling" not in chemclust_pilots
    assert "25 good practices" in answer(partner, "practice")
