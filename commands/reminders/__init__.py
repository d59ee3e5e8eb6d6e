"""Reminders: which rows an event needs (``plan``), what they say (``messages``), and the
dispatcher that claims due rows and sends them through a platform's port (``dispatch``)."""

from commands.registry import Registry


def register(registry: Registry) -> None:
    # Imported here: importing this package (for its messages) must not load the dispatcher.
    from commands.reminders.jobs import DISPATCH

    registry.add_job(DISPATCH)
