"""Running the installed ``chemclust-bot`` command as a real process."""

from __future__ import annotations

import atexit
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.conftest import COORDINATOR_ID
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET


def executable() -> str:
    """The console script installed next to this interpreter (the README's install)."""
    found = Path(sys.executable).with_name("chemclust-bot")
    if found.exists():
        return str(found)
    on_path = shutil.which("chemclust-bot")
    if on_path is None:
        raise RuntimeError("chemclust-bot is not installed; run pip install -e '.[dev]'")
    return on_path


def environment(**overrides: str) -> dict[str, str]:
    """This process's environment without the bot's own settings, plus ``overrides``.

    Bytecode is kept as in the test process (``tests/__init__.py``): without it, each of the
    suite's starts in a fresh interpreter compiled every module of the bot again (a sixth of
    a start's CPU).
    """
    ours = ("SLACK_", "CHEMCLUST_", "TEAMS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"chemclust-bot exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url}/healthz did not answer within {timeout}s")


# Starts go through a fork server (tests.support.fork_server) when this is on: the suite's
# conftest turns it on; the benchmarks, which measure real cold starts, leave it off.
FORKED_STARTS = False
_server: subprocess.Popen | None = None
_server_path = ""


def _fork_server() -> str:
    """The socket of this process's fork server, started at the first use."""
    global _server, _server_path
    if _server is None or _server.poll() is not None:
        _server_path = str(Path(tempfile.mkdtemp(prefix="chemclust-fork-")) / "socket")
        _server = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("fork_server.py")),
                _server_path,
                executable(),
            ],
            env=environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
        )
        assert _server.stdout is not None
        if _server.stdout.readline() != b"ready\n":
            raise RuntimeError("the fork server for chemclust-bot did not start")
        atexit.register(_stop_fork_server, _server, _server_path)
    return _server_path


def _stop_fork_server(server: subprocess.Popen, path: str) -> None:
    server.terminate()  # it waits for what it forked first: their CPU counts as the run's
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    shutil.rmtree(Path(path).parent, ignore_errors=True)


class ForkedProcess:
    """A ``chemclust-bot`` process started by the fork server, handled like ``subprocess.Popen``
    (pid, poll, wait, send_signal, terminate, kill, returncode)."""

    def __init__(self, argv: list[str], *, env: dict[str, str], cwd: Path, streams: list[IO]):
        self._connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._connection.connect(_fork_server())
        request = json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode()
        socket.send_fds(self._connection, [request], [s.fileno() for s in streams])
        self._answers = self._connection.makefile("rb")
        self.pid = int(self._answers.readline())
        self.returncode: int | None = None
        self.args = argv

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._connection], [], [], 0)[0]:
            self._read()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._connection], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(self.args, timeout)
            self._read()
        assert self.returncode is not None
        return self.returncode

    def _read(self) -> None:
        line = self._answers.readline()
        if not line:
            raise RuntimeError(f"the fork server lost process {self.pid}")
        self.returncode = int(line)
        self._answers.close()
        self._connection.close()

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def start_process(
    argv: list[str], *, env: dict[str, str], cwd: Path, stdin: IO, stdout: IO, stderr: IO
) -> subprocess.Popen | ForkedProcess:
    """``chemclust-bot`` with ``argv``, forked by the fork server when FORKED_STARTS is on."""
    command = [executable(), *argv]
    if FORKED_STARTS:
        return ForkedProcess(command, env=env, cwd=cwd, streams=[stdin, stdout, stderr])
    return subprocess.Popen(command, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr)


class BotProcess:
    """``chemclust-bot run`` with Slack pointed at the mock; stopped with SIGTERM like a deploy."""

    def __init__(self, *, database_url: str, slack_api_url: str, log_path: Path, **env: str):
        self.port = free_port()
        self.log_path = log_path
        defaults = {
            "DATABASE_URL": database_url,
            "SLACK_API_URL": slack_api_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "CHEMCLUST_COORDINATORS": COORDINATOR_ID,
            "CHEMCLUST_DISPATCH_SECONDS": "1",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "LOG_LEVEL": "INFO",
        }
        # ``env`` may change any default ("" unsets a setting: the bot reads "" as not set).
        self.env = environment(**{**defaults, **env})
        self.process: subprocess.Popen | ForkedProcess | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def slack_url(self) -> str:
        return self.url + "/slack/events"

    def start(self, timeout: float = 60.0) -> BotProcess:
        self.launch()
        try:
            wait_until_healthy(self.url, self.process, timeout)
        except AssertionError as error:
            self.stop()  # a process that never became healthy is not left running
            raise AssertionError(f"{error}: {self.log()}") from None
        return self

    def launch(self) -> BotProcess:
        """Start the process without waiting for it to serve."""
        with self.log_path.open("ab") as log, open(os.devnull, "rb") as nothing:
            self.process = start_process(
                ["run"],
                cwd=self.log_path.parent,
                env=self.env,
                stdin=nothing,
                stdout=log,
                stderr=log,
            )
        return self

    def wait_for_exit(self, within: float = 60.0) -> int:
        """The exit code of a process that ends by itself; killed if it does not."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise AssertionError(f"still running after {within}s: {self.log()}") from None

    def terminate(self, within: float = 10.0) -> int:
        """SIGTERM, as a deploy stops it; the exit code, or AssertionError if it does not stop
        ``within`` seconds (then it is killed)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise AssertionError(f"still running {within}s after SIGTERM: {self.log()}") from None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def dispatch_runs(self) -> tuple[int, int]:
        """Reminder dispatcher runs this process has started and finished, as APScheduler logs
        them at INFO (the dispatcher is the process's only interval job)."""
        lines = [
            line
            for line in self.log_path.read_text(errors="replace").splitlines()
            if "(trigger: interval[" in line
        ]
        started = sum("Running job" in line for line in lines)
        return started, sum(_FINISHED_RUN.search(line) is not None for line in lines)

    def wait_for_dispatch_rounds(self, count: int = 1, timeout: float = 30.0) -> None:
        wait_for_dispatch_rounds([self], count, timeout)


def wait_for_dispatch_rounds(
    bots: Iterable[BotProcess], count: int = 1, timeout: float = 30.0
) -> None:
    """Until ``count`` whole dispatcher runs have started and finished in each of ``bots``
    after this call: "nothing more is sent" shown by runs that took place, however slow a
    loaded machine is, instead of a sleep that may hold none. A run under way at the call may
    have claimed before it, so it does not count; runs of one process never overlap, so they
    finish in the order they start."""
    wanted = {bot: bot.dispatch_runs()[0] + count for bot in bots}
    deadline = time.monotonic() + timeout
    for bot, runs in wanted.items():
        while bot.dispatch_runs()[1] < runs:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{count} dispatch round(s) did not run within {timeout}s "
                    f"(LOG_LEVEL must be INFO or DEBUG): {bot.log()}"
                )
            time.sleep(0.1)


# APScheduler's INFO line at the end of each run of a job, whether it returned or raised.
_FINISHED_RUN = re.compile(r"executed successfully|raised an exception")


def run_to_exit(*args: str, cwd: Path, timeout: float = 60.0, **env: str) -> Exited:
    """``chemclust-bot <args>`` with only ``env`` of the bot's settings, run until it exits."""
    ran = run_command(list(args), env=environment(**env), cwd=cwd, timeout=timeout)
    return Exited(ran.returncode, ran.stdout, ran.stderr)


def run_command(
    argv: list[str], *, env: dict[str, str], cwd: Path, input: str = "", timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """``chemclust-bot <argv>`` with exactly ``env``, ``input`` piped in, run until it exits
    (``subprocess.run`` with ``capture_output=True, text=True``; killed after ``timeout``)."""
    with (
        tempfile.TemporaryFile() as given,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        given.write(input.encode())
        given.seek(0)
        process = start_process(argv, env=env, cwd=cwd, stdin=given, stdout=out, stderr=err)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        out.seek(0)
        err.seek(0)
        stdout, stderr = (f.read().decode().replace("\r\n", "\n") for f in (out, err))
    return subprocess.CompletedProcess([executable(), *argv], code, stdout, stderr)


@dataclass(frozen=True)
class Exited:
    """How a process ended: its code, and what it wrote."""

    code: int
    stdout: str
    stderr: str

    def one_line(self) -> str:
        """The one line a refused start prints; fails on a traceback, a second such line or
        a logged error (ordinary INFO lines of what ran before are fine)."""
        assert "Traceback" not in self.stderr, self.stderr
        said = [line for line in self.stderr.splitlines() if line.startswith("chemclust-bot: ")]
        assert len(said) == 1, self.stderr
        logged_errors = [line for line in self.stderr.splitlines() if " ERROR " in line]
        assert logged_errors == [], self.stderr
        return said[0]
