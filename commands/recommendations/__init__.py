"""Joint policy recommendations: drafted by coordinators, endorsed by regions, put to a
consultation with reminders, adopted, and exported as the project's deliverable."""

from commands.recommendations import add, command
from commands.registry import Registry


def register(registry: Registry) -> None:
    registry.add_command(
        "recommendation", command.run, summary=command.SUMMARY, usage=command.USAGE
    )
    registry.add_form(add.ADD_FORM, add.submit_add)
