"""The core tells its metrics hook of every command run: those run before any group (accepting
an invitation in a workspace that belongs to none) as well as the others."""

from __future__ import annotations

from commands import build_registry
from commands.context import Identity
from commands.core import Core
from tests.conftest import COORDINATOR_ID, FIXED_NOW


def test_an_outsider_command_is_counted_like_any_other(sessions):
    core = Core(
        build_registry(),
        sessions,
        coordinators=frozenset({COORDINATOR_ID}),
        clock=lambda: FIXED_NOW,
        invitation_only=frozenset({"slack"}),
    )
    told: list[tuple[str, str]] = []
    core.on_command = lambda name, outcome, seconds: told.append((name, outcome))
    stranger = Identity(platform="slack", user_id="UNEW", workspace_id="T0NEW", channel_id="C1")

    refused = core.run_command(stranger, "chemclust", "accept not-a-code")
    assert refused is not None
    assert refused.summary.startswith("That is not an invitation code")
    core.run_command(Identity(platform="console", user_id="console"), "benchmark", "")
    assert told == [("chemclust", "refused"), ("benchmark", "ok")]
