"""Text from Teams reaches the database cleaned, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Member
from tests.bot.teams.conftest import messages_url
from tests.support.teams import activity, card_text, cards, post_activity


def test_a_teams_display_name_with_control_characters_is_stored_cleaned(teams_bot, connector):
    body = activity(
        "chemclust join Limburg",
        service_url=connector.service_url,
        expect_replies=True,
        user_name="Ada\x00 Love\u202elace",
    )
    [card] = cards(post_activity(messages_url(teams_bot), body).json()["activities"])
    assert "You now represent **Limburg**" in card_text(card)
    with teams_bot.runtime.core.sessions() as session:
        member = session.scalar(select(Member).where(Member.platform == "teams"))
    assert member.display_name == "Ada Lovelace"
