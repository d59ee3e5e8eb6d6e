"""Who is asking, where, and with what at hand: the context every command receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from commands.errors import NotInGroup
from commands.surface import NO_SURFACE, Surface
from storage.audit import Actor, acting_as
from storage.db import SessionFactory, read_without_transaction
from storage.groups import default_group, group_and_member
from storage.members import set_role
from storage.models import COORDINATOR, PARTNER, Member, WorkingGroup
from storage.workspaces import record_organisation

if TYPE_CHECKING:
    from commands.registry import Registry


def valid_timezone(name: object) -> str | None:
    """``name`` if it is an IANA zone this machine knows ("Europe/Brussels"), else None.

    Platforms report people's zones (Slack profiles, Teams clients); a wrong one must fall
    back to the group's zone rather than fail a command.
    """
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


@dataclass(frozen=True)
class Identity:
    """A person on a platform, as the adapter saw them."""

    platform: str  # "slack", "teams" or "console"
    user_id: str
    workspace_id: str | None = None  # Slack team id, Teams tenant id
    channel_id: str | None = None
    user_name: str | None = None
    timezone: str | None = None  # the person's IANA zone, when the platform tells it
    # The channel itself when ``channel_id`` names one thread of it (a Teams channel
    # conversation is a thread: "19:…@thread.tacv2;messageid=…"); None when it is the channel.
    parent_channel_id: str | None = None
    # The organisation above the workspace, where the platform has one (a Slack Enterprise
    # Grid org): an app installed org-wide reaches the workspace with the org's credentials.
    organisation_id: str | None = None

    @property
    def person(self) -> tuple[str, str]:
        """Who this is across every platform: user ids are unique only within theirs, so rows
        that remember a person (an upload, a form) keep both."""
        return (self.platform, self.user_id)

    @property
    def whole_channel_id(self) -> str | None:
        """The channel, whichever of its threads the person wrote in: what a setting for the
        channel (a pilot link) is kept under."""
        return self.parent_channel_id or self.channel_id


@dataclass(frozen=True)
class Mention:
    """A person or channel named in what someone typed, as the platform identified it.

    Adapters turn platform markup (Slack's ``<@U…|name>``, Teams' ``<at>Name</at>``) into
    ``@name`` / ``#name`` in the text and one of these, so commands never parse markup.
    """

    kind: str  # PERSON or CHANNEL
    id: str  # the platform's id: a user id as members are stored, a channel id
    name: str  # as written after the @ or # in the text

    @property
    def written(self) -> str:
        return ("@" if self.kind == PERSON else "#") + self.name


PERSON = "person"
CHANNEL = "channel"


@dataclass(frozen=True)
class Context:
    identity: Identity
    group_id: int
    group_name: str
    group_timezone: str
    # The group's short name, which names the files it exports (``batteries-benchmark.xlsx``).
    group_slug: str
    member_id: int | None
    region_id: int | None
    region_name: str | None
    role: str
    now: datetime
    sessions: SessionFactory
    registry: Registry
    can_open_forms: bool = False
    # The bot's public address (PUBLIC_URL), for links it hands out; "" when unknown.
    public_url: str = ""
    mentions: tuple[Mention, ...] = ()
    surface: Surface = NO_SURFACE
    # Coordinators named by the operator (CHEMCLUST_COORDINATORS): chat cannot demote them.
    configured_coordinators: frozenset[str] = frozenset()
    # Whether the person's workspaces join a group only by invitation (many workspaces).
    joins_by_invitation: bool = False
    # The group's benchmark version as read with the group (storage.benchmark.benchmark_stamp),
    # for commands that only read the benchmark; None when unknown.
    benchmark_version: str | None = None

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    @property
    def timezone(self) -> str:
        """The zone a time without one is read in: the person's, else the group's."""
        return self.identity.timezone or self.group_timezone

    def mentioned(self, written: str, kind: str = PERSON) -> Mention | None:
        """The mention ``written`` stands for (``@Ada Lovelace``), or None when it is none."""
        wanted = written.strip()
        for mention in self.mentions:
            if mention.kind == kind and wanted in (mention.written, mention.name):
                return mention
        return None


def build_context(
    identity: Identity,
    *,
    sessions: SessionFactory,
    registry: Registry,
    coordinators: frozenset[str],
    clock: Callable[[], datetime],
    can_open_forms: bool = False,
    public_url: str = "",
    mentions: tuple[Mention, ...] = (),
    surface: Surface = NO_SURFACE,
    invitation_only: frozenset[str] = frozenset(),
    group_id: int | None = None,
) -> Context:
    """``invitation_only``: the platforms whose workspaces belong to a group only once linked
    to it; a person of any other workspace there gets ``NotInGroup``. ``group_id``: the group
    an operator chose (the command line's ``--group``), instead of the workspace's."""
    now = clock()
    sessions = acting_as(sessions, _actor(identity), now=now)
    by_invitation = identity.platform in invitation_only
    with sessions() as session:
        if identity.user_id not in coordinators and not by_invitation:
            # Most requests write nothing here: their one statement needs no transaction, and
            # so no BEGIN and no ROLLBACK round trips.
            read_without_transaction(session)
        group, member = _group_and_member(session, identity, by_invitation, group_id)
        if identity.user_id in coordinators and (member is None or member.role != COORDINATOR):
            # Coordinators named in the environment are recorded on first contact, so that
            # listings and notifications know them like any other coordinator.
            member = set_role(
                session=session,
                group_id=group.id,
                platform=identity.platform,
                user_id=identity.user_id,
                role=COORDINATOR,
                display_name=identity.user_name,
            )
            session.commit()
        if by_invitation and member is not None and member.workspace_id != identity.workspace_id:
            # Where direct messages to them go when the bot serves several workspaces: the one
            # they were last seen in.
            member.workspace_id = identity.workspace_id
            session.commit()
        # Messages sent later to this workspace (reminders, the digest, DMs) find an org-wide
        # installation through the organisation noted on it.
        if (
            by_invitation
            and identity.organisation_id
            and identity.workspace_id
            and record_organisation(
                session=session,
                platform=identity.platform,
                external_id=identity.workspace_id,
                organisation_id=identity.organisation_id,
            )
        ):
            session.commit()
        role = member.role if member is not None else PARTNER
        region_name = member.region.name if member is not None and member.region else None
        return Context(
            identity=identity,
            group_id=group.id,
            group_name=group.name,
            group_timezone=group.timezone,
            group_slug=group.slug,
            member_id=member.id if member is not None else None,
            region_id=member.region_id if member is not None else None,
            region_name=region_name,
            role=role,
            now=now,
            # Whatever the command changes is recorded in the audit trail as this person's.
            sessions=acting_as(sessions, _actor(identity, member, region_name), now=now),
            registry=registry,
            can_open_forms=can_open_forms,
            public_url=public_url,
            mentions=mentions,
            surface=surface,
            configured_coordinators=coordinators,
            joins_by_invitation=by_invitation,
            benchmark_version=group.benchmark_version,
        )


def _group_and_member(
    session: Session, identity: Identity, by_invitation: bool, group_id: int | None
) -> tuple[WorkingGroup, Member | None]:
    """The group (the chosen one, else the workspace's) and the person's member row there."""
    linked_only = by_invitation and bool(identity.workspace_id)
    group, member = group_and_member(
        session=session,
        platform=identity.platform,
        external_id=identity.workspace_id,
        user_id=identity.user_id,
        group_id=group_id,
        linked_only=linked_only,
    )
    if group is not None:
        return group, member
    if linked_only:
        raise NotInGroup()
    if group_id is not None:
        raise LookupError(f"no working group with id {group_id}")
    return default_group(session=session), None  # raises: nothing mapped, no default group


@dataclass(frozen=True)
class Outsider:
    """A person whose workspace may be in no group yet, before any context: what a command
    that links a workspace (accepting an invitation) has to go on."""

    identity: Identity
    sessions: SessionFactory
    now: datetime
    joins_by_invitation: bool


def _actor(identity: Identity, member: Member | None = None, region: str | None = None) -> Actor:
    name = identity.user_name or (member.display_name if member is not None else None)
    return Actor(platform=identity.platform, user_id=identity.user_id, name=name, region=region)
