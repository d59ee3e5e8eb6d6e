"""The Slack sending port against the mock Web API: posts, DMs, pace, and failures mapped."""

from __future__ import annotations

import threading

import pytest
from slack_sdk import WebClient

from bot.slack.sender import SlackSender
from commands.port import Mark, RetryLater, Sent, Target, Undeliverable
from commands.reply import Paragraph, Reply, text
from tests.support.slack_requests import BOT_TOKEN

REPLY = Reply(heading="Reminder: Skills", parts=(Paragraph(text("<!channel> starts soon")),))
MARK = Mark("reminder", 7)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def sender(mock_slack, fake_time) -> SlackSender:
    client = WebClient(token=BOT_TOKEN, base_url=mock_slack.api_url, retry_handlers=[])
    return SlackSender(client, sleep=fake_time.sleep, monotonic=fake_time.monotonic)


def test_posts_to_the_channel_and_returns_the_message_ts(sender, mock_slack):
    outcome = sender(Target("slack", {"channel": "CGENERAL"}), REPLY, MARK)
    assert isinstance(outcome, Sent)
    (call,) = mock_slack.of("chat.postMessage")
    assert call.data["channel"] == "CGENERAL"
    assert outcome.message_ref.startswith("CGENERAL:17")
    assert call.data["blocks"][0]["text"]["text"] == "Reminder: Skills"
    assert "&lt;!channel&gt;" in call.data["blocks"][1]["text"]["text"]  # escaped, no ping


def test_direct_messages_open_the_conversation_once(sender, mock_slack):
    for _ in range(2):
        assert isinstance(sender(Target("slack", {"user": "ULIMBURG"}), REPLY, MARK), Sent)
    assert len(mock_slack.of("conversations.open")) == 1
    assert [c.data["channel"] for c in mock_slack.of("chat.postMessage")] == ["DULIMBURG"] * 2


def test_one_message_per_second_per_channel(sender, fake_time):
    sender(Target("slack", {"channel": "C1"}), REPLY, MARK)
    sender(Target("slack", {"channel": "C2"}), REPLY, MARK)  # another channel: no wait
    fake_time.now += 0.25
    sender(Target("slack", {"channel": "C1"}), REPLY, MARK)  # 0.25 s after the last one to C1
    assert fake_time.slept == [0.75]


def test_waiting_for_one_channel_holds_up_no_other(mock_slack):
    """The dispatcher posts from several threads: a thread waiting out C1's second must not
    keep another thread from posting to C2."""
    waiting, go_on = threading.Event(), threading.Event()

    def sleep(_seconds: float) -> None:
        waiting.set()
        assert go_on.wait(timeout=30)

    client = WebClient(token=BOT_TOKEN, base_url=mock_slack.api_url, retry_handlers=[])
    sender = SlackSender(client, sleep=sleep, monotonic=lambda: 100.0)
    sender(Target("slack", {"channel": "C1"}), REPLY, MARK)
    again = threading.Thread(target=sender, args=(Target("slack", {"channel": "C1"}), REPLY, MARK))
    again.start()
    try:
        assert waiting.wait(timeout=30)  # the second post to C1 waits for its second
        assert isinstance(sender(Target("slack", {"channel": "C2"}), REPLY, MARK), Sent)
    finally:
        go_on.set()
        again.join(timeout=30)
    channels = [c.data["channel"] for c in mock_slack.of("chat.postMessage")]
    assert channels == ["C1", "C2", "C1"]
    assert SlackSender.parallel > 1


def test_rate_limit_is_a_retry_with_the_retry_after_slack_gave(sender, mock_slack):
    mock_slack.fail("chat.postMessage", 429, retry_after=7)
    outcome = sender(Target("slack", {"channel": "CGENERAL"}), REPLY, MARK)
    assert outcome == RetryLater("Slack rate limit (429)", after_seconds=7.0)


def test_server_errors_are_retried(sender, mock_slack):
    mock_slack.fail("chat.postMessage", 503, error="service_unavailable")
    outcome = sender(Target("slack", {"channel": "CGENERAL"}), REPLY, MARK)
    assert isinstance(outcome, RetryLater)
    assert "503" in outcome.reason
    assert outcome.unconfirmed  # Slack may have posted it before failing


def test_a_post_that_gets_no_answer_may_have_arrived(mock_slack):
    client = WebClient(token=BOT_TOKEN, base_url=mock_slack.api_url, timeout=0.3)
    client.retry_handlers = []
    mock_slack.delays["chat.postMessage"] = 1.0
    outcome = SlackSender(client)(Target("slack", {"channel": "CGENERAL"}), REPLY, MARK)
    assert isinstance(outcome, RetryLater)
    assert "no answer from Slack" in outcome.reason
    assert outcome.unconfirmed  # the next attempt looks before posting again


def test_connection_errors_are_retried():
    client = WebClient(token=BOT_TOKEN, base_url="http://127.0.0.1:9/api/", retry_handlers=[])
    outcome = SlackSender(client)(Target("slack", {"channel": "C1"}), REPLY, MARK)
    assert isinstance(outcome, RetryLater)
    assert "cannot reach Slack" in outcome.reason
    assert not outcome.unconfirmed  # the request never reached Slack


def test_a_channel_the_bot_cannot_post_to_is_undeliverable(sender, mock_slack):
    mock_slack.fail("chat.postMessage", 200, error="not_in_channel")
    outcome = sender(Target("slack", {"channel": "CSECRET"}), REPLY, MARK)
    assert outcome == Undeliverable("Slack refused the message: not_in_channel")
