"""Reminders in the console: the same registered jobs (the reminder dispatcher among them),
with a sender that prints.

Due reminders are printed before each answer and, in a terminal, by a background thread
while the prompt waits. They are printed in the console's zone like every other time.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TextIO

from bot.console.render import render
from bot.scheduler import OutageWatch
from commands.port import CannotTell, Lookup, Mark, Outcome, Sent, Target
from commands.reply import Reply

log = logging.getLogger(__name__)

PLATFORM = "console"


class ConsoleSender:
    failure_hint = "Check the console's log for what went wrong."

    def __init__(self, write: Callable[[str], None]):
        self.write = write
        self._numbers = itertools.count(1)

    def __call__(self, target: Target, reply: Reply, mark: Mark) -> Outcome:
        where = (
            f"direct message to {target.conversation['user']}" if target.is_direct else "reminder"
        )
        self.write(f"⏰ [{where}]\n{render(reply)}\n")
        return Sent(f"console:{next(self._numbers)}")

    def find(self, target: Target, mark: Mark, *, since: datetime) -> Lookup:
        return CannotTell("the console keeps no record of what it printed")


class Runs(Protocol):
    def run_once(self) -> object: ...


class ConsoleReminders:
    """Runs the interval jobs (the dispatcher) for console rows; ``check`` sends what is due."""

    def __init__(
        self,
        make_runner: Callable[[ConsoleSender], Runs],
        stdout: TextIO,
        *,
        interval: float,
        prompt: str = "",
    ):
        self.stdout = stdout
        self.interval = interval
        self.prompt = prompt
        self.output_lock = threading.Lock()
        self._in_background = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runner = make_runner(ConsoleSender(self._write))
        self._outage = OutageWatch("console reminders")

    def _write(self, message: str) -> None:
        if self._in_background and self.prompt:
            # The prompt is waiting: print above it, then show it again with what was typed.
            try:
                import readline

                typed = readline.get_line_buffer()
            except ImportError:
                typed = ""
            self.stdout.write(f"\r\033[K{message}\n{self.prompt}{typed}")
        else:
            self.stdout.write(message + "\n")
        self.stdout.flush()

    def check(self) -> None:
        with self.output_lock:
            try:
                with self._outage:
                    self.runner.run_once()
            except Exception:
                log.exception("console reminders could not be checked")

    def start_background(self) -> None:
        def loop() -> None:
            while not self._stop.wait(self.interval):
                self._in_background = True
                try:
                    self.check()
                finally:
                    self._in_background = False

        self._thread = threading.Thread(target=loop, name="console-reminders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
