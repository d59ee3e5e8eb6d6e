"""The product's behaviour, platform-neutral: parse text, act through ``storage``, return a Reply.

Never imports a chat platform's SDK or ``bot``.
"""

from collections.abc import Mapping

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


def build_registry(*, taken_tool_words: Mapping[tuple[str, ...], str] = {}) -> Registry:
    """The shipped features' registry; ``taken_tool_words``: words no tool may have (the
    host's command line's own, see ``Registry.take_tool_words``)."""
    registry = Registry()
    registry.take_tool_words(taken_tool_words)
    register(registry)
    return registry
