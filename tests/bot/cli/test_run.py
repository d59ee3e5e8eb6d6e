"""``chemclust-bot run`` as a real process: migrates, serves, verifies, stops cleanly."""

from __future__ import annotations

import os
import signal
import time

import pytest
from slack_sdk.models.blocks import Block

from storage.migrate import head_revisions
from tests.support.processes import (
    environment,
    free_port,
    run_command,
    start_process,
    wait_until_healthy,
)
from tests.support.slack_requests import (
    BOT_TOKEN,
    SIGNING_SECRET,
    followed,
    post_signed,
    slash_command,
)


@pytest.fixture
def run_process(database_url, mock_slack, tmp_path):
    port = free_port()
    env = environment(
        DATABASE_URL=database_url,
        PORT=str(port),
        HOST="127.0.0.1",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=mock_slack.api_url,
        LOG_LEVEL="INFO",
    )
    log = (tmp_path / "run.log").open("w+")
    with open(os.devnull, "rb") as nothing:
        process = start_process(
            ["run"], env=env, cwd=tmp_path, stdin=nothing, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield process, url, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_signed_benchmark_to_the_running_process(run_process, mock_slack):
    process, url, log = run_process
    hook = mock_slack.webhook_url("benchmark")
    answer = post_signed(
        url + "/slack/events", slash_command("/benchmark", "Limburg", response_url=hook)
    )
    assert answer.status == 200
    assert answer.seconds < 3
    blocks = followed(answer.json(), mock_slack, hook)["blocks"]
    for block in blocks:
        Block.parse(block).to_dict()
    assert "Limburg" in blocks[0]["text"]["text"]

    forged = post_signed(
        url + "/slack/events", slash_command("/benchmark", "Limburg"), secret="x" * 20
    )
    stale = post_signed(
        url + "/slack/events",
        slash_command("/benchmark", "Limburg"),
        timestamp=int(time.time()) - 600,
    )
    assert (forged.status, stale.status) == (401, 401)
    assert mock_slack.of("chat.postMessage") == []

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    log.seek(0)
    output = log.read()
    assert "listening on 127.0.0.1" in output
    assert BOT_TOKEN not in output
    assert SIGNING_SECRET not in output


def test_run_without_a_signing_secret_explains_what_is_missing(tmp_path):
    env = environment(
        DATABASE_URL=f"sqlite:///{tmp_path}/x.db", SLACK_BOT_TOKEN=BOT_TOKEN, PORT=str(free_port())
    )
    result = run_command(["run"], env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_port_is_refused_with_an_explanation(tmp_path):
    result = run_command(["run"], env=environment(PORT="eighty"), cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "PORT must be a number" in result.stderr


def test_db_upgrade_reports_the_revision(database_url, tmp_path):
    env = environment(DATABASE_URL=database_url)
    result = run_command(["db", "upgrade"], env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Database at revision {', '.join(sorted(head_revisions()))}." in result.stdout
