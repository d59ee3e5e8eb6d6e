"""The product's behaviour, platform-neutral: parse text, act through ``storage``, return a Reply.

Never imports a chat platform's SDK or ``bot``.
"""

from commands.registry import Registry


def register(registry: Registry) -> None:
    from commands import (
        benchmark,
        chemclust,
        events,
        home,
        pilots,
        practice,
        privacy,
        recommendations,
        reminders,
        workspaces,
    )

    benchmark.register(registry)
    chemclust.register(registry)
    events.register(registry)
    home.register(registry)
    pilots.register(registry)
    practice.register(registry)
    privacy.register(registry)
    recommendations.register(registry)
    reminders.register(registry)
    workspaces.register(registry)


def build_registry() -> Registry:
    registry = Registry()
    register(registry)
    return registry
