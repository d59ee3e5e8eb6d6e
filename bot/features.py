"""The features this bot runs: those it ships, and any an operator adds by naming their modules
in ``CHEMCLUST_FEATURES`` (comma-separated, each with a ``register(registry)`` function), such
as a working group's own commands and tools, installed next to the bot."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from bot.settings import ConfigurationError
from commands import build_registry
from commands.registry import Registry


def load_registry(modules: Sequence[str] = ()) -> Registry:
    """The shipped features' registry, with each module in ``modules`` registered after them."""
    registry = build_registry()
    for name in modules:
        try:
            register = importlib.import_module(name).register
        except (ImportError, AttributeError) as error:
            raise ConfigurationError(
                f"CHEMCLUST_FEATURES names {name}, which is not an importable module with a "
                f"register(registry) function ({error})."
            ) from error
        register(registry)
    return registry
