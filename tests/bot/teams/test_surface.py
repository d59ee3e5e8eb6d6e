"""What commands tell Teams users about the platform comes from the Teams surface's facts."""

from __future__ import annotations

from tests.bot.teams.conftest import messages_url
from tests.support.teams import activity, card_text, cards, post_activity


def say(bot, connector, line: str) -> str:
    body = activity(line, service_url=connector.service_url, expect_replies=True)
    answer = post_activity(messages_url(bot), body)
    assert answer.status == 200, answer.text
    return "\n".join(card_text(card) for card in cards(answer.json()["activities"]))


def test_teams_users_hear_of_their_teams_time_zone_and_of_no_slack(teams_bot, connector):
    workshop_help = say(teams_bot, connector, "workshop help")
    assert "Without a zone it is the time zone of your Teams app, else the group's." in (
        workshop_help
    )
    practice_help = say(teams_bot, connector, "practice help")
    for answer in (workshop_help, practice_help):
        assert "Slack" not in answer
