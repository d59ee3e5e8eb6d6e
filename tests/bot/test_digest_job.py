"""The weekly digest job of the web process, posting to Slack's (mock) Web API."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from apscheduler.triggers.cron import CronTrigger

from bot.jobs import scheduled_jobs
from bot.runtime import build_runtime
from commands.pilots.jobs import DIGEST_JOB as JOB_ID
from storage.groups import default_group
from storage.models import GroupChannel
from tests.bot.slack.test_http_endpoint import assert_valid_blocks

MONDAY_NINE_BRUSSELS = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_the_job_wakes_every_quarter_hour_and_posts_the_digest_once(
    bot_settings, mock_slack, sessions
):
    runtime = build_runtime(bot_settings)
    [job] = [job for job in scheduled_jobs(runtime) if job.id == JOB_ID]
    assert isinstance(job.trigger, CronTrigger)
    assert str(job.trigger) == "cron[minute='*/15']"
    assert str(job.trigger.timezone) == "UTC"

    with sessions.begin() as session:
        group = default_group(session=session)
        session.add(
            GroupChannel(group_id=group.id, platform="slack", channel_id="CPILOTS", set_by="U1")
        )
    runtime.core.clock = lambda: MONDAY_NINE_BRUSSELS
    job.run()
    job.run()
    [posted] = mock_slack.of("chat.postMessage")
    assert posted.data["channel"] == "CPILOTS"
    assert posted.data["text"].startswith("Pilot digest: 0 updates this week")
    assert_valid_blocks(posted.data["blocks"])
    runtime.engine.dispose()


def test_no_job_without_a_platform_to_post_to(bot_settings):
    runtime = build_runtime(replace(bot_settings, slack_bot_token=""))
    assert [job.id for job in scheduled_jobs(runtime)] == []
    runtime.engine.dispose()
