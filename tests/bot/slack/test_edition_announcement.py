"""A benchmark edition imported by a file sent to the bot is announced once in the group's
channel, through the real web process, its dispatcher and the mock Web API."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from storage.models import GroupChannel, Reminder
from tests.bot.slack.test_benchmark_upload import answer_in_dm, buttons
from tests.bot.slack.test_benchmark_upload import click as click_in_dm
from tests.bot.slack.test_events_over_http import click, command, posts_about, wait_until
from tests.bot.slack.test_http_endpoint import assert_valid_blocks
from tests.conftest import COORDINATOR_ID, PARTNER_ID
from tests.support.benchmark_files import to_csv, wide_csv, wide_rows
from tests.support.bot_server import DISPATCH_SECONDS, start_bot
from tests.support.slack_events import share_in_dm as share

HEADING = "New benchmark edition: 2014"


@pytest.fixture
def announcing_bot(bot_settings):
    running = start_bot(replace(bot_settings, dispatch_seconds=DISPATCH_SECONDS))
    yield running
    running.stop()


def test_a_coordinators_import_is_announced_once_and_a_partners_delivery_is_not(
    announcing_bot, mock_slack
):
    command(announcing_bot, "/chemclust", "channel")
    assert group_channels(announcing_bot) == [("slack", "CGENERAL")]

    share(announcing_bot, mock_slack, user=COORDINATOR_ID, name="benchmark-2014.csv",
          content=wide_csv(), text="2014")  # fmt: skip
    checked = answer_in_dm(mock_slack, COORDINATOR_ID)
    assert "Imported" in click_in_dm(announcing_bot, mock_slack, COORDINATOR_ID,
                                     buttons(checked)["Import"])  # fmt: skip

    wait_until(lambda: posts_about(mock_slack, HEADING), timeout=20)
    (announcement,) = posts_about(mock_slack, HEADING)
    assert announcement["channel"] == "CGENERAL"
    assert_valid_blocks(announcement["blocks"])
    shown = json.dumps(announcement["blocks"], ensure_ascii=False)
    assert "Top of the league table" in shown
    assert "rose most" in shown
    assert "fell most" in shown

    # A region's changes, one click from the announcement.
    label = next(name for name in buttons(announcement) if name.endswith(": changes"))
    changes = click(
        announcing_bot, mock_slack, announcement, label, user=PARTNER_ID, name="changes"
    )
    region = label.removesuffix(": changes")
    assert f"{region}: what moved" in json.dumps(changes, ensure_ascii=False)

    # A partner's corrected figures fill the edition; they are not a new edition.
    command(announcing_bot, "/chemclust", "join Limburg", user=PARTNER_ID)
    rows = wide_rows()
    rows[8][5] = 7.5
    posted = len(mock_slack.of("chat.postMessage"))
    share(announcing_bot, mock_slack, user=PARTNER_ID, name="limburg-2014.csv",
          content=to_csv(rows))  # fmt: skip
    delivery = answer_in_dm(mock_slack, PARTNER_ID, count=posted + 1)
    assert "Imported 11 figures" in click_in_dm(
        announcing_bot, mock_slack, PARTNER_ID, buttons(delivery)["Replace 2014"]
    )
    # Nothing more is queued, and what was queued has been handled.
    wait_until(lambda: notices(announcing_bot) == ["sent"], timeout=10)
    assert len(posts_about(mock_slack, HEADING)) == 1
    assert posts_about(mock_slack, "Benchmark 2014 revised") == []


def group_channels(bot) -> list[tuple[str, str]]:
    with bot.runtime.core.sessions() as session:
        return [(c.platform, c.channel_id) for c in session.scalars(select(GroupChannel)).all()]


def notices(bot) -> list[str]:
    with bot.runtime.core.sessions() as session:
        return list(
            session.scalars(
                select(Reminder.status).where(Reminder.kind == "notice").order_by(Reminder.id)
            )
        )
