"""The console prints due reminders inline, through the same dispatcher."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from bot.console.reminders import PLATFORM, ConsoleReminders
from bot.console.repl import run_console
from commands.context import Identity
from commands.reminders.dispatch import Dispatcher
from tests.support.events import Clock, make_core

ME = Identity(platform="console", user_id="console", user_name="console")


class Lines(io.StringIO):
    """Piped input whose reading moves the clock: each line is typed a minute after the last."""

    def __init__(self, lines: list[str], clock: Clock):
        super().__init__()
        self.lines = lines
        self.clock = clock

    def __iter__(self):
        for line in self.lines:
            yield line + "\n"
            self.clock.advance(minutes=1)

    def isatty(self) -> bool:
        return False


def test_due_reminders_are_printed_between_answers(sessions, tmp_path: Path):
    clock = Clock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    core = make_core(sessions, clock)
    core.coordinators = frozenset({"console"})
    out = io.StringIO()
    reminders = ConsoleReminders(
        lambda sender: Dispatcher(sessions, {PLATFORM: sender}, clock=clock, claimer="console"),
        out,
        interval=5,
    )
    lines = Lines(
        [
            '/deadline add "Benchmark data 2012" in 90 seconds remind 0m',
            "/deadline list",
            "/workshop list",
            "/workshop list past",
        ],
        clock,
    )
    finished = run_console(core, ME, out_dir=tmp_path, stdin=lines, stdout=out, reminders=reminders)
    assert finished == 0

    printed = out.getvalue()
    listed = printed.index("Upcoming deadlines")
    reminded = printed.index("⏰ [reminder]")
    after = printed.index("Upcoming workshops")
    assert listed < reminded < after  # due after two minutes: before the third answer
    assert printed.count("⏰") == 1
    assert "Deadline D6 Benchmark data 2012 is due now" in printed
    assert "3rd seminar: Open Innovation" in printed
