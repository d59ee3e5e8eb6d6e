"""The Slack app manifest an admin pastes must declare what the bot really handles."""

from __future__ import annotations

from importlib import resources

import yaml

from commands import build_registry


def manifest() -> dict:
    return yaml.safe_load(resources.files("bot.slack").joinpath("manifest.yml").read_text())


def test_every_registered_command_is_declared():
    declared = {c["command"] for c in manifest()["features"]["slash_commands"]}
    assert declared == {f"/{name}" for name in build_registry().commands}


def test_socket_mode_interactivity_and_scopes_for_what_the_bot_does():
    app = manifest()
    assert app["settings"]["socket_mode_enabled"] is True
    assert app["settings"]["interactivity"]["is_enabled"] is True
    scopes = set(app["oauth_config"]["scopes"]["bot"])
    # commands and answers; files for uploads; im:write for private files and direct messages
    assert {"commands", "chat:write", "files:write", "im:write"} <= scopes


def test_commands_that_take_mentions_ask_slack_to_escape_them():
    chemclust = next(
        c for c in manifest()["features"]["slash_commands"] if c["command"] == "/chemclust"
    )
    assert chemclust["should_escape"] is True


def test_message_events_and_shortcuts_are_subscribed_with_their_scopes():
    app = manifest()
    assert set(app["settings"]["event_subscriptions"]["bot_events"]) >= {
        "message.channels",
        "message.groups",
        "app_mention",
    }
    scopes = set(app["oauth_config"]["scopes"]["bot"])
    # reading channels and private channels, reacting with ✅, mentions, private notes
    assert {
        "channels:history",
        "groups:history",
        "reactions:write",
        "app_mentions:read",
        "chat:write",
    } <= scopes
    shortcuts = {s["callback_id"]: s for s in app["features"]["shortcuts"]}
    assert set(shortcuts) == set(build_registry().message_shortcuts)
    assert all(s["type"] == "message" for s in shortcuts.values())
    assert shortcuts["pilot.log_message"]["name"] == "Log as pilot update"


def test_the_home_tab_and_direct_messages_are_enabled_with_their_events():
    app = manifest()
    assert app["features"]["app_home"]["home_tab_enabled"] is True
    assert app["features"]["app_home"]["messages_tab_enabled"] is True
    events = set(app["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_home_opened", "message.im", "app_mention"} <= events
    assert "im:history" in app["oauth_config"]["scopes"]["bot"]
