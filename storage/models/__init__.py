"""All models, importable from one place so Alembic sees the whole metadata."""

from storage.models.audit import AuditEntry
from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.benchmark import BenchmarkEdition, BenchmarkValue, Indicator
from storage.models.benchmark_upload import BenchmarkUpload
from storage.models.delivery import SeenEvent
from storage.models.digest import DIGEST_STATUSES, DigestRun, GroupChannel
from storage.models.event import (
    CANCELLED,
    EVENT_KINDS,
    KIND_PREFIX,
    SCHEDULED,
    Event,
    EventDelivery,
    event_region,
)
from storage.models.form_session import FormSession
from storage.models.group import (
    DEFAULT_GROUP_SLUG,
    WorkingGroup,
    Workspace,
    WorkspaceInvitation,
)
from storage.models.installation import SlackBot, SlackInstallation, SlackOAuthState
from storage.models.member import COORDINATOR, PARTNER, ROLES, Member
from storage.models.pilot import PilotAction, pilot_region
from storage.models.pilot_progress import (
    UPDATE_SOURCES,
    UPDATE_STATUSES,
    PilotChannel,
    PilotMilestone,
    PilotUpdate,
)
from storage.models.practice import THEME_SEPARATOR, Practice, practice_pilot, split_themes
from storage.models.recommendations import (
    ADOPTED,
    CONSULTATION,
    DRAFT,
    LEVELS,
    Endorsement,
    Recommendation,
    RecommendationComment,
)
from storage.models.region import Region, RegionAlias
from storage.models.reminder import (
    FAILED,
    PENDING,
    REMINDER_CANCELLED,
    SENDING,
    SENT,
    SKIPPED,
    CalendarFeed,
    Reminder,
)
from storage.models.teams import TeamsConversation

__all__ = [
    "ADOPTED",
    "CANCELLED",
    "CONSULTATION",
    "COORDINATOR",
    "DEFAULT_GROUP_SLUG",
    "DIGEST_STATUSES",
    "DRAFT",
    "EVENT_KINDS",
    "FAILED",
    "KIND_PREFIX",
    "LEVELS",
    "PARTNER",
    "PENDING",
    "REMINDER_CANCELLED",
    "ROLES",
    "SCHEDULED",
    "SENDING",
    "SENT",
    "SKIPPED",
    "THEME_SEPARATOR",
    "UPDATE_SOURCES",
    "UPDATE_STATUSES",
    "AuditEntry",
    "Base",
    "BenchmarkEdition",
    "BenchmarkUpload",
    "BenchmarkValue",
    "CalendarFeed",
    "DigestRun",
    "Endorsement",
    "Event",
    "EventDelivery",
    "FormSession",
    "GroupChannel",
    "Indicator",
    "Member",
    "PilotAction",
    "PilotChannel",
    "PilotMilestone",
    "PilotUpdate",
    "Practice",
    "Recommendation",
    "RecommendationComment",
    "Region",
    "RegionAlias",
    "Reminder",
    "SeenEvent",
    "SlackBot",
    "SlackInstallation",
    "SlackOAuthState",
    "TeamsConversation",
    "UTCDateTime",
    "WorkingGroup",
    "Workspace",
    "WorkspaceInvitation",
    "event_region",
    "pilot_region",
    "practice_pilot",
    "split_themes",
    "utcnow",
]
