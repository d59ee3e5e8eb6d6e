"""A person's own data: ``/chemclust my data`` and ``/chemclust forget`` (GDPR)."""

from commands.privacy.forget import FORGET_ACTION, confirm_button
from commands.registry import Registry


def register(registry: Registry) -> None:
    registry.add_action(FORGET_ACTION, confirm_button)
