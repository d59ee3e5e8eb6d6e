"""The joint benchmark: scoring (``math``), loading (``model``), replies (``views``)."""

from commands.benchmark import command
from commands.registry import Registry


def register(registry: Registry) -> None:
    registry.add_command("benchmark", command.run, summary=command.SUMMARY, usage=command.USAGE)
    registry.add_action(command.PROFILE_ACTION, command.show_profile)
