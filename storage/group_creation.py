"""A working group's partner regions, pilot actions and benchmark indicators, written in the
caller's transaction from a description checked beforehand (a group file): all of them for a new
group, the missing ones for ChemClust's shipped file at every start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Indicator, Member, PilotAction, Region, RegionAlias, WorkingGroup
from storage.models.member import COORDINATOR
from storage.regions import add_region_aliases


@dataclass(frozen=True)
class RegionSpec:
    key: str
    name: str
    country: str
    nuts_code: str
    aliases: tuple[str, ...] = ()
    cluster: str = ""
    nuts_aliases: tuple[str, ...] = ()  # finer, broader or older NUTS codes that also find it


@dataclass(frozen=True)
class PilotSpec:
    key: str
    name: str
    region_keys: tuple[str, ...]
    description: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    higher_is_better: bool
    theme: str = ""
    description: str = ""


@dataclass(frozen=True)
class CoordinatorSpec:
    platform: str
    user_id: str
    name: str | None = None


@dataclass(frozen=True)
class GroupSpec:
    name: str
    slug: str
    timezone: str
    regions: tuple[RegionSpec, ...]
    pilots: tuple[PilotSpec, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
    coordinator: CoordinatorSpec | None = None


def region_names(spec: RegionSpec) -> list[tuple[str, str]]:
    """(name, kind) for every alias row of a region: its name, key, aliases and NUTS code."""
    names = [(spec.name, "name"), (spec.key, "name")]
    names += [(alias, "name") for alias in spec.aliases]
    names.append((spec.nuts_code, "nuts"))
    names += [(code, "nuts") for code in spec.nuts_aliases]
    return names


@dataclass(frozen=True)
class GroupContents:
    """The group's rows named in its file, by region key, pilot key and indicator code."""

    regions: dict[str, Region]
    pilots: dict[str, PilotAction]
    indicators: dict[str, Indicator]


def create_group(*, session: Session, spec: GroupSpec) -> WorkingGroup:
    """Add the group and everything it starts with; the caller commits or rolls back."""
    group = WorkingGroup(slug=spec.slug, name=spec.name, timezone=spec.timezone, is_default=False)
    session.add(group)
    session.flush()
    add_missing_contents(session=session, group=group, spec=spec)
    if spec.coordinator is not None:
        session.add(
            Member(
                group_id=group.id,
                platform=spec.coordinator.platform,
                platform_user_id=spec.coordinator.user_id,
                display_name=spec.coordinator.name,
                role=COORDINATOR,
            )
        )
    session.flush()
    return group


def add_missing_contents(
    *, session: Session, group: WorkingGroup, spec: GroupSpec
) -> GroupContents:
    """Add the regions, spellings, pilots and indicators of ``spec`` that ``group`` lacks
    (matched by key and code). What is there is never changed: coordinators' edits stand."""
    regions = {r.key: r for r in session.scalars(select(Region).where(Region.group_id == group.id))}
    taken = set(session.scalars(select(RegionAlias.folded).where(RegionAlias.group_id == group.id)))
    for region_spec in spec.regions:
        region = regions.get(region_spec.key)
        if region is None:
            region = Region(
                group_id=group.id,
                key=region_spec.key,
                name=region_spec.name,
                country=region_spec.country,
                nuts_code=region_spec.nuts_code,
                cluster=region_spec.cluster,
            )
            session.add(region)
            session.flush()
            regions[region.key] = region
        add_region_aliases(
            session=session, region=region, names=region_names(region_spec), taken=taken
        )
    pilots = {
        p.key: p
        for p in session.scalars(select(PilotAction).where(PilotAction.group_id == group.id))
    }
    for pilot in spec.pilots:
        if pilot.key not in pilots:
            pilots[pilot.key] = PilotAction(
                group_id=group.id,
                key=pilot.key,
                name=pilot.name,
                keywords=pilot.keywords,
                description=pilot.description,
                regions=[regions[key] for key in pilot.region_keys],
            )
            session.add(pilots[pilot.key])
    indicators = {
        i.code: i for i in session.scalars(select(Indicator).where(Indicator.group_id == group.id))
    }
    for position, indicator in enumerate(spec.indicators):
        if indicator.code not in indicators:
            indicators[indicator.code] = Indicator(
                group_id=group.id,
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                higher_is_better=indicator.higher_is_better,
                theme=indicator.theme,
                description=indicator.description,
                position=position,
            )
            session.add(indicators[indicator.code])
    session.flush()
    return GroupContents(regions, pilots, indicators)
