"""The features this bot runs: those it ships, and any an operator adds by naming their modules
in ``CHEMCLUST_FEATURES`` (comma-separated, each with a ``register(registry)`` function), such
as a working group's own commands and tools, installed next to the bot."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from bot.settings import ConfigurationError
from commands import build_registry
from commands.registry import RegistrationConflict, Registry


def load_registry(modules: Sequence[str] = ()) -> Registry:
    """The shipped features' registry, with each module in ``modules`` registered after them.

    A tool whose words another tool or the command line's own sub-commands have is refused
    here, in one line naming both, whichever process starts (``ConfigurationError``)."""
    from bot.cli import own_words

    try:
        registry = build_registry(taken_tool_words=own_words())
    except RegistrationConflict as conflict:
        raise ConfigurationError(str(conflict)) from None
    for name in modules:
        try:
            register = importlib.import_module(name).register
        except (ImportError, AttributeError) as error:
            raise ConfigurationError(
                f"CHEMCLUST_FEATURES names {name}, which is not an importable module with a "
                f"register(registry) function ({error})."
            ) from error
        try:
            register(registry)
        except RegistrationConflict as conflict:
            raise ConfigurationError(
                f"CHEMCLUST_FEATURES names {name}, whose registration is refused: {conflict}."
            ) from None
    return registry
