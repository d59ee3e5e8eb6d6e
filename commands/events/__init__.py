"""Workshops, seminars, meetings and data deadlines: ``/workshop`` and ``/deadline``."""

from commands.registry import Registry


def register(registry: Registry) -> None:
    # Imported here: the reminder messages use this package's small helpers (lead times),
    # and a package that imported its commands on import would make that a cycle.
    from commands.events import command, forms, routes
    from commands.events.drafts import DEADLINES, WORKSHOPS
    from commands.reminders.messages import CALENDAR_ACTION, DELIVERED_ACTION

    registry.add_command(
        "workshop",
        command.run_workshop,
        summary=command.WORKSHOP_SUMMARY,
        usage=command.WORKSHOP_USAGE,
    )
    registry.add_command(
        "deadline",
        command.run_deadline,
        summary=command.DEADLINE_SUMMARY,
        usage=command.DEADLINE_USAGE,
    )
    registry.add_form(WORKSHOPS.form_id, forms.submit_workshop)
    registry.add_form(DEADLINES.form_id, forms.submit_deadline)
    registry.add_action(CALENDAR_ACTION, command.calendar_button)
    registry.add_action(DELIVERED_ACTION, command.delivered_button)
    for route in routes.ROUTES:
        registry.add_route(route)
