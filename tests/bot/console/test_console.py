"""The console: the installed command with piped input, and the loop itself."""

from __future__ import annotations

import io
import re
import subprocess

from bot.console.repl import run_console
from commands.context import Identity
from commands.registry import Registry
from commands.reply import Attachment, Paragraph, Reply, text
from tests.support.partners import PARTNER_REGIONS
from tests.support.processes import environment, run_command


def console(cwd, *options: str, lines: str = "") -> subprocess.CompletedProcess:
    """The installed command, with piped input, in a directory of its own."""
    return run_command(["console", *options], input=lines, cwd=cwd, env=environment())


def test_piped_console_prints_profile_and_league_table_on_a_fresh_directory(tmp_path):
    """The README's promise, as written: no database, no account, just the command."""
    result = console(tmp_path, lines="/benchmark Limburg\n/benchmark\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Limburg: benchmark 2012 update" in out
    assert "Rank" in out
    assert "1 of 10 partner regions" in out
    assert "Benchmark 2012 update: league table" in out
    league = out.split("league table", 1)[1]
    for region in PARTNER_REGIONS:
        assert region in league
    assert out.count("Illustrative sample figures") == 2
    assert (tmp_path / "chemclust.db").exists()
    assert "Traceback" not in result.stderr


def test_console_region_option_joins_and_bad_region_exits_with_an_explanation(tmp_path):
    ok = console(tmp_path, "--region", "teesside", lines="/chemclust who\n")
    assert ok.returncode == 0, ok.stderr
    assert re.search(r"^Tees Valley +@console$", ok.stdout, re.MULTILINE)

    bad = console(tmp_path, "--region", "Atlantis")
    assert bad.returncode == 2
    assert "Atlantis" in bad.stdout


class FakeCore:
    """Answers lines the way the core does, to test the loop on its own."""

    def __init__(self, reply: Reply | None = None):
        self.lines: list[str] = []
        self.reply = reply
        self.registry = Registry()  # no feature: every line goes to run_line

    def run_line(self, identity, line, **_options):
        self.lines.append(line)
        if not line.strip():
            return None
        return self.reply or Reply(parts=(Paragraph(text(f"echo {line.strip()}")),))


def test_loop_answers_each_line_skips_blanks_and_stops_at_exit(tmp_path):
    core = FakeCore()
    out = io.StringIO()
    code = run_console(
        core,
        Identity("console", "me"),
        out_dir=tmp_path,
        stdin=io.StringIO("/a\n\n/b\nexit\n/never\n"),
        stdout=out,
    )
    assert code == 0
    assert out.getvalue() == "echo /a\n\necho /b\n\n"
    assert "/never" not in core.lines


def test_loop_saves_files_and_prints_their_paths(tmp_path):
    reply = Reply(files=(Attachment("chart.png", b"\x89PNG...", "image/png"),))
    out = io.StringIO()
    run_console(
        FakeCore(reply),
        Identity("console", "me"),
        out_dir=tmp_path / "out",
        stdin=io.StringIO("/chart\n"),
        stdout=out,
    )
    saved = tmp_path / "out" / "chart.png"
    assert saved.read_bytes() == b"\x89PNG..."
    assert f"Saved {saved.resolve()}" in out.getvalue()
