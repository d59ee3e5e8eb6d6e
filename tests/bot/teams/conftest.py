"""Fixtures for the Teams adapter: the real web process with Teams on, and the stub connector."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import replace
from typing import Any

import pytest

from bot.settings import Settings
from tests.support.bot_server import RunningBot, start_bot
from tests.support.teams import StubConnector


@pytest.fixture
def connector() -> Iterator[StubConnector]:
    stub = StubConnector()
    yield stub
    stub.close()


@pytest.fixture
def teams_settings(bot_settings: Settings) -> Settings:
    """Slack as in every end-to-end test, plus Teams accepting unsigned activities."""
    return replace(bot_settings, teams_allow_anonymous=True, scheduler_enabled=False)


@pytest.fixture
def teams_bot(teams_settings: Settings) -> Iterator[RunningBot]:
    running = start_bot(teams_settings)
    yield running
    running.stop()


def messages_url(running: RunningBot) -> str:
    return running.url + "/api/messages"


def on_bot_loop(running: RunningBot, work: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine on the web process's event loop (where the SDK adapter lives)."""
    return asyncio.run_coroutine_threadsafe(work, running._loop).result(timeout=20)


def teams_of(running: RunningBot) -> Any:
    """The process's TeamsBot (adapter, agent, proactive sender)."""
    return running._server.connections["teams"].bot
