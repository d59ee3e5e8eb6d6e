"""A real ``chemclust-bot run`` answers /benchmark without importing pandas or numpy: scoring
happens in its worker processes (commands.offload), and /metrics says which heavy libraries
the web process itself has loaded."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.databases import SqliteDatabases
from tests.support.mock_slack import MockSlack
from tests.support.processes import BotProcess
from tests.support.slack_requests import answer_to_command

BENCHMARK_COMMANDS = (
    ("", "league table"),
    ("Limburg", "Limburg: benchmark"),
    ("Limburg vs NRW", "Limburg vs"),
    ("movers", "what moved since"),
    ("Limburg changes", "Limburg"),
)


@pytest.fixture
def bot(sqlite_databases: SqliteDatabases, mock_slack: MockSlack, tmp_path) -> Iterator[BotProcess]:
    url = sqlite_databases.create()
    running = BotProcess(
        database_url=url,
        slack_api_url=mock_slack.api_url,
        log_path=tmp_path / "bot.log",
        CHEMCLUST_METRICS="1",
    ).start()
    yield running
    running.stop()
    sqlite_databases.drop(url)


def libraries_loaded(bot: BotProcess) -> dict[str, bool]:
    with urllib.request.urlopen(bot.url + "/metrics", timeout=10) as answer:
        text = answer.read().decode()
    return {
        sample.labels["library"]: sample.value == 1
        for family in text_string_to_metric_families(text)
        if family.name == "chemclust_library_loaded"
        for sample in family.samples
    }


def test_benchmark_replies_leave_pandas_and_numpy_to_the_workers(bot, mock_slack):
    assert libraries_loaded(bot) == dict.fromkeys(
        ("pandas", "numpy", "matplotlib", "openpyxl"), False
    )
    for words, expected in BENCHMARK_COMMANDS:
        answer = answer_to_command(bot.slack_url, mock_slack, "/benchmark", words)
        shown = answer.get("text", "") + json.dumps(answer.get("blocks", []), ensure_ascii=False)
        assert expected in shown, (words, shown[:500])
        assert "went wrong" not in shown, bot.log()
    loaded = libraries_loaded(bot)
    assert loaded["pandas"] is False, "the web process imported pandas"
    assert loaded["numpy"] is False, "the web process imported numpy"
