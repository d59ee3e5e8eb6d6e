"""The running bot: settings, logging, a migrated database and the command core, built once."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.features import load_registry
from bot.logs import configure_logging
from bot.settings import Settings
from commands.core import Core
from commands.registry import Registry
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.platforms import Platform


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    core: Core
    # The platforms the web process offers; each is off unless its settings are given.
    platforms: tuple[Platform, ...] = ()
    # Set when the process is asked to stop: nothing new is taken on (bot.shutdown).
    stopping: threading.Event = field(default_factory=threading.Event)


def build_runtime(
    settings: Settings,
    *,
    extra_coordinators: frozenset[str] = frozenset(),
    registry: Registry | None = None,
    platforms: tuple[Platform, ...] | None = None,
) -> Runtime:
    """Migrate and seed the database, then assemble the command core on it.

    ``registry`` and ``platforms`` default to the features and platforms the bot ships (and
    the features ``settings.features`` adds)."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    if platforms is None:
        from bot.platforms import default_platforms

        platforms = default_platforms()
    core = Core(
        registry or load_registry(settings.features),
        make_session_factory(engine),
        coordinators=settings.coordinators | extra_coordinators,
        public_url=settings.public_url,
        invitation_only=frozenset(
            platform.name
            for platform in platforms
            # Optional for a platform: one whose workspaces join by invitation says when.
            if getattr(platform, "joins_by_invitation", lambda settings: False)(settings)
        ),
    )
    return Runtime(settings=settings, engine=engine, core=core, platforms=platforms)


def start(
    settings: Settings | None = None,
    *,
    log_level: str | None = None,
    extra_coordinators: frozenset[str] = frozenset(),
    registry: Registry | None = None,
    platforms: tuple[Platform, ...] | None = None,
) -> Runtime:
    """The runtime for a command-line process: settings (from the environment unless given),
    logging set up. ``platforms=()`` for a process that serves none and posts to none (the
    console, a tool): it does not load them."""
    settings = settings or Settings.from_env()
    configure_logging(
        log_level or settings.log_level,
        secrets=settings.secrets(),
        log_format=settings.log_format,
    )
    return build_runtime(
        settings, extra_coordinators=extra_coordinators, registry=registry, platforms=platforms
    )
