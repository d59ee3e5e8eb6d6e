"""What commands tell Slack users about the platform comes from the Slack surface's facts."""

from __future__ import annotations

from tests.conftest import COORDINATOR_ID
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import answer_to_command


def command(bot, name: str, text: str) -> str:
    mock = MockSlack.serving(bot.runtime.settings.slack_api_url)
    options = {"user_id": COORDINATOR_ID, "channel_id": "CPILOTS"}
    return str(answer_to_command(bot.slack_url, mock, name, text, **options))


def test_slack_users_hear_of_their_slack_time_zone_and_how_to_invite_the_bot(slack_bot):
    assert "Without a zone it is your Slack time zone, else the group's." in command(
        slack_bot, "/workshop", "help"
    )
    linked = command(slack_bot, "/pilot", "link skills")
    assert "The bot must be in the channel to read it: `/invite @ChemClust`" in linked
    chosen = command(slack_bot, "/chemclust", "channel")
    assert "The bot must be a member of the channel to post: `/invite @ChemClust`." in chosen
    assert "Teams" not in linked + chosen
