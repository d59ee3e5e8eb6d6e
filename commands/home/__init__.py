"""The Home: one person's dashboard of what the group expects of their region."""

from commands.home import command, greeting, views
from commands.registry import Registry


def register(registry: Registry) -> None:
    registry.add_command("home", command.run, summary=command.SUMMARY, usage=command.USAGE)
    registry.add_action(views.LOG_UPDATE_ACTION, command.log_update_button)
    registry.add_action(views.ADD_WORKSHOP_ACTION, command.add_workshop_button)
    registry.add_action(views.ADD_DEADLINE_ACTION, command.add_deadline_button)
    registry.add_action(views.CHART_ACTION, command.chart_button)
    registry.add_action(greeting.RUN_ACTION, greeting.run_button)
    registry.set_conversation(not_understood=greeting.short_help, welcome=greeting.welcome)
