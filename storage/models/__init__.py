"""All models, importable from one place so Alembic sees the whole metadata."""

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.benchmark import BenchmarkEdition, BenchmarkValue, Indicator
from storage.models.event import Event
from storage.models.group import DEFAULT_GROUP_SLUG, WorkingGroup, Workspace
from storage.models.member import COORDINATOR, PARTNER, ROLES, Member
from storage.models.pilot import PilotAction, pilot_region
from storage.models.practice import THEME_SEPARATOR, Practice, practice_pilot, split_themes
from storage.models.region import Region, RegionAlias

__all__ = [
    "COORDINATOR",
    "DEFAULT_GROUP_SLUG",
    "PARTNER",
    "ROLES",
    "THEME_SEPARATOR",
    "Base",
    "BenchmarkEdition",
    "BenchmarkValue",
    "Event",
    "Indicator",
    "Member",
    "PilotAction",
    "Practice",
    "Region",
    "RegionAlias",
    "UTCDateTime",
    "WorkingGroup",
    "Workspace",
    "pilot_region",
    "practice_pilot",
    "split_themes",
    "utcnow",
]
