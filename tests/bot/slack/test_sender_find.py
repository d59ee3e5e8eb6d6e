"""The Slack port marks each post with message metadata and finds it again in the history.

``find`` is what a process that took over a lapsed claim asks before posting again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.slack import sender as slack_sender
from bot.slack.sender import SlackSender
from commands.port import CannotTell, Mark, NotFound, RetryLater, Target
from commands.reply import Paragraph, Reply, text
from tests.support.slack_requests import BOT_TOKEN

REPLY = Reply(heading="Reminder: Skills", parts=(Paragraph(text("Starts in 1 hour.")),))
CHANNEL = Target("slack", {"channel": "CGENERAL", "workspace": "T0001"})
CLAIMED = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


class SlackClock:
    """Slack's clock in the mock: message ts are taken from it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> float:
        return self.now.timestamp()


@pytest.fixture
def slack_clock(mock_slack) -> SlackClock:
    clock = SlackClock(CLAIMED + timedelta(seconds=1))
    mock_slack.history.clock = clock
    return clock


@pytest.fixture
def port(mock_slack) -> SlackSender:
    client = WebClient(token=BOT_TOKEN, base_url=mock_slack.api_url, retry_handlers=[])
    return SlackSender(client, sleep=lambda seconds: None)


def test_every_post_names_its_row_in_message_metadata(port, mock_slack, slack_clock):
    port(CHANNEL, REPLY, Mark("reminder", 12))
    port(CHANNEL, REPLY, Mark("digest", 3))
    reminder, digest = (call.data["metadata"] for call in mock_slack.of("chat.postMessage"))
    assert reminder == {"event_type": "chemclust_reminder", "event_payload": {"reminder_id": 12}}
    assert digest == {"event_type": "chemclust_digest", "event_payload": {"digest_id": 3}}


def test_find_returns_the_message_posted_since_the_claim(port, mock_slack, slack_clock):
    posted = port(CHANNEL, REPLY, Mark("reminder", 12))
    port(CHANNEL, REPLY, Mark("reminder", 13))

    assert port.find(CHANNEL, Mark("reminder", 12), since=CLAIMED) == posted
    assert port.find(CHANNEL, Mark("reminder", 14), since=CLAIMED) == NotFound()
    assert port.find(CHANNEL, Mark("digest", 12), since=CLAIMED) == NotFound()
    history = mock_slack.of("conversations.history")[0].data
    assert history["channel"] == "CGENERAL"
    assert history["include_all_metadata"] in {"1", "true", True}
    # From the claim on, with a minute's margin for clocks that disagree.
    assert float(history["oldest"]) == (CLAIMED - timedelta(minutes=1)).timestamp()


def test_find_looks_in_the_direct_message_of_a_person(port, mock_slack, slack_clock):
    person = Target("slack", {"user": "ULIMBURG"})
    posted = port(person, REPLY, Mark("reminder", 5))
    assert port.find(person, Mark("reminder", 5), since=CLAIMED) == posted
    assert mock_slack.of("conversations.history")[0].data["channel"] == "DULIMBURG"


def test_messages_before_the_claim_or_of_another_app_do_not_count(port, mock_slack, slack_clock):
    slack_clock.now = CLAIMED - timedelta(minutes=5)  # before the claim (and its margin)
    port(CHANNEL, REPLY, Mark("reminder", 12))
    slack_clock.now = CLAIMED + timedelta(seconds=5)
    forged = {"event_type": "chemclust_reminder", "event_payload": {"reminder_id": 12}}
    mock_slack.history.add(
        "CGENERAL", {"type": "message", "text": "x", "bot_id": "BOTHER", "metadata": forged}
    )
    mock_slack.history.add("CGENERAL", {"type": "message", "text": "hi", "user": "UPARTNER"})
    assert port.find(CHANNEL, Mark("reminder", 12), since=CLAIMED) == NotFound()


def test_find_reads_further_pages_but_not_without_end(port, mock_slack, slack_clock, monkeypatch):
    monkeypatch.setattr(slack_sender, "HISTORY_PAGE", 3)
    posted = port(CHANNEL, REPLY, Mark("reminder", 12))
    for number in range(7):  # newer messages push the reminder to the third page
        mock_slack.history.add("CGENERAL", {"type": "message", "text": f"chat {number}"})
    assert port.find(CHANNEL, Mark("reminder", 12), since=CLAIMED) == posted
    assert len(mock_slack.of("conversations.history")) == 3

    monkeypatch.setattr(slack_sender, "HISTORY_PAGES", 2)
    outcome = port.find(CHANNEL, Mark("reminder", 12), since=CLAIMED)
    assert isinstance(outcome, CannotTell)
    assert "more than 6 messages" in outcome.reason


def test_a_rate_limited_search_is_tried_again_after_retry_after(port, mock_slack, slack_clock):
    mock_slack.fail("conversations.history", 429, retry_after=30)
    outcome = port.find(CHANNEL, Mark("reminder", 12), since=CLAIMED)
    assert outcome == RetryLater("Slack rate limit (429)", after_seconds=30.0)


def test_without_the_history_scope_slack_cannot_tell(port, mock_slack, slack_clock):
    mock_slack.fail("conversations.history", 200, error="missing_scope")
    outcome = port.find(CHANNEL, Mark("reminder", 12), since=CLAIMED)
    assert isinstance(outcome, CannotTell)
    assert "*:history scopes" in outcome.reason


def test_an_unreachable_slack_is_tried_again():
    client = WebClient(token=BOT_TOKEN, base_url="http://127.0.0.1:9/api/", retry_handlers=[])
    outcome = SlackSender(client).find(CHANNEL, Mark("reminder", 12), since=CLAIMED)
    assert isinstance(outcome, RetryLater)
    assert "cannot reach Slack" in outcome.reason
