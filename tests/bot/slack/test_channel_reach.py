"""Work set up in a channel the bot is not in is refused at once, not failed later.

Reminders, the weekly digest and linked pilot channels need the bot in the channel: Slack
refuses its posts there ("not_in_channel"). Through signed requests to the real web process,
with the mock Web API saying which channels the bot is in.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.models import Event, GroupChannel, PilotChannel, Reminder
from tests.bot.slack.test_form_submissions import view_submission
from tests.conftest import COORDINATOR_ID
from tests.support.mock_slack import MockSlack
from tests.support.slack_requests import answer_to_command, post_signed, slash_command

OUTSIDE = "COUTSIDE"


def command(bot, name: str, text: str, *, channel: str = OUTSIDE) -> dict:
    mock = MockSlack.serving(bot.runtime.settings.slack_api_url)
    options = {"user_id": COORDINATOR_ID, "channel_id": channel}
    return answer_to_command(bot.slack_url, mock, name, text, **options)


def rows(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("/workshop", 'add "Kick-off" in 3 days at 10:00'),
        ("/deadline", 'add "Figures for 2014" in 20 days'),
    ],
)
def test_an_event_in_a_channel_without_the_bot_is_refused(
    slack_bot, mock_slack, sessions, name, text
):
    mock_slack.channels_without_bot.add(OUTSIDE)
    answer = command(slack_bot, name, text)
    assert answer["response_type"] == "ephemeral"
    assert "I am not a member of this channel" in answer["text"]
    assert "/invite @ChemClust" in answer["text"]
    assert rows(sessions, Reminder) == 0
    with sessions() as session:
        assert session.scalars(select(Event).where(Event.title == "Kick-off")).all() == []
    # Invited, the same command works.
    mock_slack.channels_without_bot.discard(OUTSIDE)
    assert "I am not a member" not in str(command(slack_bot, name, text))
    assert rows(sessions, Reminder) > 0


def test_a_private_channel_the_bot_cannot_see_is_refused_too(slack_bot, mock_slack, sessions):
    mock_slack.channels_without_bot.add(OUTSIDE)
    mock_slack.private_channels.add(OUTSIDE)
    answer = command(slack_bot, "/workshop", 'add "Kick-off" in 3 days at 10:00')
    assert "I am not a member of this channel" in answer["text"]
    assert rows(sessions, Reminder) == 0


def test_a_public_channel_takes_posts_with_chat_write_public(slack_bot, mock_slack, sessions):
    mock_slack.channels_without_bot.add(OUTSIDE)
    mock_slack.scopes += ",chat:write.public"
    answer = command(slack_bot, "/workshop", 'add "Kick-off" in 3 days at 10:00')
    assert "New workshop" in str(answer)
    assert rows(sessions, Reminder) > 0
    # But a linked pilot channel must be heard, which posting rights do not give.
    linked = command(slack_bot, "/pilot", "link skills")
    assert "I would not see the updates written here" in linked["text"]
    assert rows(sessions, PilotChannel) == 0


def test_the_digest_channel_and_a_linked_channel_need_the_bot(slack_bot, mock_slack, sessions):
    mock_slack.channels_without_bot.add(OUTSIDE)
    digest = command(slack_bot, "/chemclust", "channel")
    assert "so I could not post the weekly digest there" in digest["text"]
    named = command(slack_bot, "/chemclust", "channel <#COUTSIDE|elsewhere>", channel="CGENERAL")
    assert "I am not a member of that channel" in named["text"]
    linked = command(slack_bot, "/pilot", "link skills")
    assert "I am not a member of this channel" in linked["text"]
    assert (rows(sessions, GroupChannel), rows(sessions, PilotChannel)) == (0, 0)


def test_the_form_is_refused_the_same_way(slack_bot, mock_slack, sessions):
    mock_slack.channels_without_bot.add(OUTSIDE)
    post_signed(
        slack_bot.slack_url,
        slash_command("/workshop", "add", user_id=COORDINATOR_ID, channel_id=OUTSIDE),
    )
    view = mock_slack.wait_for("views.open")[0].data["view"]
    values = {"title": "Kick-off", "when": "in 3 days at 10:00", "kind": "workshop"}
    answer = post_signed(slack_bot.slack_url, view_submission(view, values, user_id=COORDINATOR_ID))
    assert answer.status == 200
    note = mock_slack.wait_for("chat.postEphemeral")[0].data
    assert "I am not a member of this channel" in note["text"]
    assert rows(sessions, Reminder) == 0
