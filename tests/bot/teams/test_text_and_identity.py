"""Command text out of a Teams message, and the person and tenant behind an activity."""

from __future__ import annotations

import pytest
from microsoft_agents.activity import Activity

from bot.settings import ConfigurationError, Settings
from bot.teams.app import auth_configuration
from bot.teams.identity import from_activity
from bot.teams.text import command_text
from tests.support.teams import USER_AAD_ID, activity


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("<at>ChemClust</at> benchmark Limburg", "benchmark Limburg"),
        ("<at>ChemClust</at>&nbsp;/benchmark&nbsp;Limburg\n", "/benchmark Limburg"),
        ("<p><at>ChemClust</at> chemclust join Ústí</p>", "chemclust join Ústí"),
        ("benchmark  NRW   vs Asturias", "benchmark NRW vs Asturias"),
        ("benchmark Tom &amp; Jerry", "benchmark Tom & Jerry"),
        ("<at>ChemClust</at>", ""),
        ("<p>update skills:</p><p>two  workshops</p>", "update skills:\ntwo workshops"),
        (None, ""),
    ],
)
def test_command_text(typed, command):
    assert command_text(typed) == command


def test_identity_is_the_aad_object_id_in_the_tenant():
    body = activity("hello", service_url="http://127.0.0.1:1/")
    who = from_activity(Activity.model_validate(body))
    assert who.platform == "teams"
    assert who.user_id == USER_AAD_ID
    assert who.workspace_id == "tenant-0001"
    assert who.channel_id == body["conversation"]["id"]
    assert who.user_name == "Ada Lovelace"
    assert who.timezone == "Europe/Amsterdam"


def test_identity_falls_back_to_channel_data_and_ignores_unknown_zones():
    body = activity("hello", service_url="http://127.0.0.1:1/", localTimezone="Mars/Olympus")
    del body["conversation"]["tenantId"]
    del body["from"]["aadObjectId"]
    who = from_activity(Activity.model_validate(body))
    assert (who.user_id, who.workspace_id, who.timezone) == ("29:1a2b-user", "tenant-0001", None)


def test_teams_settings_from_the_environment():
    settings = Settings.from_env(
        {
            "TEAMS_APP_ID": "app",
            "TEAMS_APP_PASSWORD": "secret-value",
            "TEAMS_TENANT_ID": "tenant",
        }
    )
    assert settings.teams_mode == "on"
    assert "secret-value" in settings.secrets()
    assert "secret-value" not in repr(settings)
    assert Settings.from_env({}).teams_mode == "off"
    assert Settings.from_env({"TEAMS_ALLOW_ANONYMOUS": "1"}).teams_mode == "anonymous"
    assert Settings.from_env({"TEAMS_ALLOW_ANONYMOUS": "no"}).teams_mode == "off"


def test_part_of_the_credentials_is_a_clear_start_up_error():
    settings = Settings.from_env({"TEAMS_APP_ID": "app"})
    with pytest.raises(ConfigurationError, match="TEAMS_APP_PASSWORD, TEAMS_TENANT_ID not set"):
        auth_configuration(settings)
