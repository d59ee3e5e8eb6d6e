"""What commands tell Slack users about the platform comes from the Slack surface's facts."""

from __future__ import annotations

from tests.conftest import COORDINATOR_ID
from tests.support.slack_requests import post_signed, slash_command


def command(bot, name: str, text: str) -> str:
    answer = post_signed(
        bot.slack_url, slash_command(name, text, user_id=COORDINATOR_ID, channel_id="CPILOTS")
    )
    assert answer.status == 200
    return str(answer.json())


def test_slack_users_hear_of_their_slack_time_zone_and_how_to_invite_the_bot(slack_bot):
    assert "Without a zone it is your Slack time zone, else the group's." in command(
        slack_bot, "/workshop", "help"
    )
    linked = command(slack_bot, "/pilot", "link skills")
    assert "The bot must be in the channel to read it: `/invite @ChemClust`" in linked
    chosen = command(slack_bot, "/chemclust", "channel")
    assert "The bot must be a member of the channel to post: `/invite @ChemClust`." in chosen
    assert "Teams" not in linked + chosen
