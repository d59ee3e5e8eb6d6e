"""``chemclust-bot doctor`` with OAuth on (many workspaces): it names the mode, asks nothing of
a single bot token, and checks that every installation's token opens with the key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.slack.installations import SealedInstallationStore
from storage.db import make_engine, make_session_factory
from storage.installations import TokenCipher
from tests.support.mock_slack_oauth import CLIENT_ID, CLIENT_SECRET
from tests.support.oauth import HOME, SECRET_KEY


@pytest.fixture
def oauth_doctor(doctor):
    del doctor.env["SLACK_BOT_TOKEN"]
    doctor.env |= {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "CHEMCLUST_SECRET_KEY": SECRET_KEY,
    }
    return doctor


def install_home(database_url: str) -> None:
    engine = make_engine(database_url)
    store = SealedInstallationStore(
        CLIENT_ID, make_session_factory(engine), TokenCipher(SECRET_KEY)
    )
    store.save(
        Installation(
            app_id="A0001",
            enterprise_id=None,
            team_id=HOME.team_id,
            bot_token=HOME.bot_token,
            bot_id="BBOT",
            bot_user_id="UBOT",
            bot_scopes="commands,chat:write",
            user_id="UINSTALLER",
        )
    )
    engine.dispose()


def test_oauth_mode_with_an_installation_sealed_under_the_key_is_all_well(
    oauth_doctor, database_url, mock_slack
):
    install_home(database_url)
    code, lines = oauth_doctor.lines()
    assert code == 0, lines
    assert lines["slack settings"].startswith("ok OAuth (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)")
    assert lines["slack installations"] == (
        "ok 1 installation(s); every bot token opens with CHEMCLUST_SECRET_KEY"
    )
    assert "slack token" not in lines  # no single workspace's token to ask Slack about
    assert mock_slack.calls == []


def test_a_changed_key_names_the_workspaces_left_without_a_token(oauth_doctor, database_url):
    install_home(database_url)
    oauth_doctor.env["CHEMCLUST_SECRET_KEY"] = Fernet.generate_key().decode()
    code, lines = oauth_doctor.lines()
    assert code == 1
    assert lines["slack installations"].startswith(
        "PROBLEM 1 of 1 installations have a bot token that does not open with "
        f"CHEMCLUST_SECRET_KEY ({HOME.team_id})"
    )
    assert (
        "set CHEMCLUST_SECRET_KEY back to the key they were sealed with"
        in (lines["slack installations"])
    )


def test_no_installation_yet_and_a_key_that_is_none_are_named(oauth_doctor):
    code, lines = oauth_doctor.lines()
    assert code == 0
    assert lines["slack installations"].startswith("warning no workspace has installed the app")
    assert "https://chemclust.example.org/slack/install" in lines["slack installations"]

    oauth_doctor.env["CHEMCLUST_SECRET_KEY"] = "not-a-key"
    code, lines = oauth_doctor.lines()
    assert code == 1
    assert lines["slack settings"].startswith("PROBLEM CHEMCLUST_SECRET_KEY")
    assert lines["slack installations"].startswith("skipped CHEMCLUST_SECRET_KEY is not a key")
