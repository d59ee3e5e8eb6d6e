"""Joint policy recommendations: drafted by coordinators, endorsed by regions, put to a
consultation with reminders, adopted, and exported as the project's deliverable."""

from commands.recommendations import add, command, consultation
from commands.registry import Registry
from commands.reminders.notices import register_row_owner


def register(registry: Registry) -> None:
    registry.add_command(
        "recommendation", command.run, summary=command.SUMMARY, usage=command.USAGE
    )
    registry.add_form(add.ADD_FORM, add.submit_add)
    # A consultation's reminders are rows the dispatcher sends; what they say is decided here.
    register_row_owner("recommendation_id", consultation.consultation_message)
