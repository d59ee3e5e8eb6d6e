"""The Home in a Teams personal chat: the same dashboard, as an Adaptive Card with buttons."""

from __future__ import annotations

from tests.bot.teams.conftest import messages_url
from tests.support.teams import PERSONAL_CONVERSATION, activity, card_text, cards, post_activity


def say(teams_bot, connector, line: str, sent: int) -> dict:
    body = activity(
        line,
        service_url=connector.service_url,
        conversation=PERSONAL_CONVERSATION,
        conversation_type="personal",
    )
    assert post_activity(messages_url(teams_bot), body).status == 202
    return connector.wait_for(sent)[-1].body


def test_home_in_a_personal_chat_is_the_dashboard_card(teams_bot, connector):
    say(teams_bot, connector, "chemclust join Limburg", 1)
    message = say(teams_bot, connector, "home", 2)

    assert message["conversation"]["id"] == PERSONAL_CONVERSATION
    (card,) = cards([message])
    shown = card_text(card)
    assert card["body"][0]["text"].startswith("Home · ")
    assert "You represent **Limburg**, as a partner." in shown
    assert "illustrative" in shown  # the sample benchmark figures say so, as everywhere
    # Its buttons are card actions that run the same registered actions as in Slack.
    assert '"title": "Profile"' in shown
