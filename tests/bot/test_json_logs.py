"""LOG_FORMAT=json: one JSON object per line, with what a line is about, and never a token,
a secret or what people wrote."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot import logs
from bot.logs import JsonLines, RedactSecrets
from bot.settings import ConfigurationError, Settings
from tests.bot.test_processes import command
from tests.conftest import COORDINATOR_ID
from tests.support.processes import BotProcess
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET, post_signed, slash_command

PRIVATE_TEXT = "Zebrafish-confidential-4711"


def test_log_format_is_text_json_or_refused():
    assert Settings.from_env({}).log_format == "text"
    assert Settings.from_env({"LOG_FORMAT": " JSON "}).log_format == "json"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT must be text or json, not 'xml'"):
        Settings.from_env({"LOG_FORMAT": "xml"})


def test_a_line_carries_its_error_id_command_and_workspace_and_no_secret():
    async def in_a_request() -> str:
        logs.tag(command="benchmark", workspace="T0001")
        return await asyncio.to_thread(logged)  # worker threads keep the tags

    def logged() -> str:
        record = failed_record()
        assert RedactSecrets([SIGNING_SECRET]).filter(record)
        return JsonLines().format(record)  # as the handler does, in the thread that logs

    def failed_record() -> logging.LogRecord:
        try:
            raise RuntimeError(f"posting with {BOT_TOKEN} failed")
        except RuntimeError as error:
            record = logging.LogRecord(
                "commands.core", logging.ERROR, __file__, 1, "error %s", ("ab12cd34",), None
            )
            record.exc_info = (type(error), error, error.__traceback__)
        record.error_id = "ab12cd34"
        return record

    line = json.loads(asyncio.run(in_a_request()))
    assert line["level"] == "ERROR"
    assert line["logger"] == "commands.core"
    assert line["message"] == "error ab12cd34"
    assert (line["error_id"], line["command"], line["workspace"]) == (
        "ab12cd34",
        "benchmark",
        "T0001",
    )
    assert "RuntimeError" in line["error"]
    assert BOT_TOKEN not in json.dumps(line)
    assert line["time"].endswith("+00:00")


def test_a_json_logging_process_writes_only_json_without_secrets_or_texts(
    database_url, mock_slack, tmp_path
):
    bot = BotProcess(
        database_url=database_url,
        slack_api_url=mock_slack.api_url,
        log_path=tmp_path / "bot.log",
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
    ).start()
    try:
        command(bot, mock_slack, "/benchmark", "Limburg")
        command(bot, mock_slack, "/practice", PRIVATE_TEXT)
        command(bot, mock_slack, "/chemclust", f"join {PRIVATE_TEXT}")
        command(
            bot, mock_slack, "/workshop", f'add "{PRIVATE_TEXT}" in 2 days', user_id=COORDINATOR_ID
        )
        forged = post_signed(bot.slack_url, slash_command("/benchmark", PRIVATE_TEXT))
        assert forged.status == 200
    finally:
        assert bot.terminate(within=30) == 0
    lines = bot.log_path.read_text().splitlines()
    assert len(lines) > 5
    parsed = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(each) for each in parsed)
    assert any(each["message"].startswith("listening on") for each in parsed)
    everything = "\n".join(lines)
    for secret in (BOT_TOKEN, SIGNING_SECRET, PRIVATE_TEXT):
        assert secret not in everything
