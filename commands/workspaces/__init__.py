"""Workspaces join a working group by invitation: ``/chemclust invite``, ``accept``,
``workspaces`` and ``workspace remove``, and the notice that tells coordinators."""

from commands.registry import Registry
from commands.reminders.notices import register_notice
from commands.workspaces.invitations import JOINED_NOTICE, accept, joined_notice, wants_accept


def register(registry: Registry) -> None:
    # Typed in a workspace that belongs to no group yet: it runs before any context.
    registry.add_outsider_command("chemclust", accept, wants=wants_accept)
    register_notice(JOINED_NOTICE, joined_notice)
