"""Files sent to the bot arrive whole, however the network cuts them up, or are refused."""

from __future__ import annotations

import json
import random

import pytest

from storage.sheets import MAX_FILE_BYTES
from tests.bot.cli.test_import_benchmark import snapshot
from tests.conftest import COORDINATOR_ID
from tests.support.benchmark_files import CODES, FIGURES_2014, to_csv, to_xlsx, wide_rows
from tests.support.slack_events import share_in_dm


def answer(mock_slack) -> str:
    [posted] = mock_slack.wait_for("chat.postMessage", timeout=30)
    return posted.data["text"] + json.dumps(posted.data["blocks"], ensure_ascii=False)


def padded_wide_rows(comment_chars: int) -> list[list[object]]:
    """The 2014 figures with a long comment on every row: a big file that still imports."""
    rows = wide_rows()
    rows[0].append("comment")
    for row in rows[1:]:
        row.append("x" * comment_chars)
    return rows


def long_rows_with_noise(noise_chars: int) -> list[list[object]]:
    """The 2014 figures one per row, each with random text that a workbook cannot compress."""
    letters = random.Random(2014)  # noqa: S311 - test data, not a secret
    rows: list[list[object]] = [["edition", "region", "indicator", "value", "note"]]
    for region, values in FIGURES_2014.items():
        for code, value in zip(CODES, values, strict=True):
            noise = "".join(letters.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=noise_chars))
            rows.append(["2014", region, code, value, noise])
    return rows


@pytest.fixture
def slow_network(mock_slack):
    mock_slack.serve_files_in_pieces(piece_bytes=16 * 1024, pause_seconds=0.005)
    return mock_slack


def test_a_320_kb_csv_arriving_in_pieces_is_read_whole(slack_bot, slow_network):
    content = to_csv(padded_wide_rows(32_000))
    assert len(content) > 320_000
    share_in_dm(slack_bot, slow_network, user=COORDINATOR_ID, name="benchmark-2014.csv",
                content=content, text="2014")  # fmt: skip
    shown = answer(slow_network)
    assert "110 for 10 regions × 11 indicators" in shown
    assert "problem" not in shown


def test_a_several_hundred_kb_workbook_arriving_in_pieces_opens(slack_bot, slow_network):
    content = to_xlsx(long_rows_with_noise(5_000))
    assert len(content) > 300_000
    share_in_dm(slack_bot, slow_network, user=COORDINATOR_ID, name="benchmark-2014.xlsx",
                content=content)  # fmt: skip
    shown = answer(slow_network)
    assert "110 for 10 regions × 11 indicators" in shown
    assert "not an Excel workbook" not in shown


def test_a_file_without_a_declared_length_is_read_to_its_end(slack_bot, mock_slack):
    mock_slack.serve_files_in_pieces(piece_bytes=8 * 1024, declare_length=False)
    share_in_dm(slack_bot, mock_slack, user=COORDINATOR_ID, name="benchmark-2014.csv",
                content=to_csv(padded_wide_rows(20_000)), text="2014")  # fmt: skip
    assert "110 for 10 regions × 11 indicators" in answer(mock_slack)


@pytest.mark.parametrize("declare_length", [True, False], ids=["length", "no-length"])
def test_a_file_over_the_limit_is_refused_even_when_slack_reports_it_small(
    slack_bot, mock_slack, sessions, declare_length
):
    mock_slack.serve_files_in_pieces(piece_bytes=256 * 1024, pause_seconds=0,
                                     declare_length=declare_length)  # fmt: skip
    before = snapshot(sessions)
    content = to_csv(padded_wide_rows(MAX_FILE_BYTES // 10 + 1_000))
    assert len(content) > MAX_FILE_BYTES
    share_in_dm(slack_bot, mock_slack, user=COORDINATOR_ID, name="huge.csv", content=content,
                text="2014", declared_size=1_000)  # fmt: skip
    shown = answer(mock_slack)
    assert f"I could not read huge.csv: it is larger than {MAX_FILE_BYTES // 1024:,} KB." in shown
    assert snapshot(sessions) == before


def test_a_file_slack_reports_over_the_limit_is_not_downloaded(slack_bot, mock_slack):
    share_in_dm(slack_bot, mock_slack, user=COORDINATOR_ID, name="huge.xlsx", content=b"PK",
                declared_size=MAX_FILE_BYTES + 1)  # fmt: skip
    assert "it is larger than" in answer(mock_slack)
    assert mock_slack.of("/files/") == []
