"""A file sent to the bot goes to the feature that reads it; one no feature reads is answered."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from storage.models import BenchmarkUpload
from tests.bot.slack.test_benchmark_upload import answer_in_dm
from tests.conftest import COORDINATOR_ID
from tests.support.slack_events import share_in_dm


def test_a_file_no_feature_reads_gets_an_answer_saying_what_the_bot_reads(
    slack_bot, mock_slack, sessions
):
    share_in_dm(slack_bot, mock_slack, user=COORDINATOR_ID, name="minutes <b>.pdf",
                content=b"%PDF-1.7", text="2014")  # fmt: skip
    message = answer_in_dm(mock_slack, COORDINATOR_ID)
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert "I cannot read" in shown
    assert "minutes &lt;b&gt;.pdf" in shown  # the name is the sender's text, escaped
    assert "Files I read: benchmark figures (.csv or .xlsx)." in shown
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(BenchmarkUpload)) == 0
