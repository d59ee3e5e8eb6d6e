"""Starting ``chemclust-bot`` a hundred times in a test run without importing it a hundred times.

A start of the bot spends most of its CPU (well over a second on the test machine) importing
SQLAlchemy, aiohttp, Bolt and the features before it does anything; the suite starts it some
two hundred times on two cores. This server, one per test worker, imports those once and then
forks a child for each start: the child takes the start's arguments, environment, working
directory and standard streams, and runs ``bot.cli.main`` as the console script would, ending
like an interpreter does (non-daemon threads joined, ``atexit`` run, exit code from ``main``).
What a test sees is a real process of its own: its own pid to signal or kill, its own
database connections, its exit code or the signal that ended it.

What a fork cannot show is what a start imports: the tests of light starts (which modules a
sub-command loads) run ``python -m bot`` themselves, as do the benchmarks' cold-start figures.

Run as a script by ``tests.support.processes`` (it imports nothing of the tests): listens on
the Unix socket named by its argument. Per start, one connection: the client sends one JSON
line (argv, env, cwd) with its stdin/stdout/stderr as file descriptors (SCM_RIGHTS); a
monitor forked for the connection forks the bot's process, answers its pid, waits for it and
answers its return code (negative: the signal that ended it, as ``subprocess`` reports it).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import sys
import threading
import traceback

# What every start of ``chemclust-bot run`` imports anyway (and the other sub-commands a part
# of): the libraries and the bot's own modules up to a serving web process, the migration
# check and the seed (every start runs both), and the shipped features (``preload`` builds a
# registry). Not Alembic (a current schema does not load it), not the Teams SDK (off unless
# configured), not pandas or matplotlib (tests ask whether a web process has loaded them).
PRELOADED = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "psycopg",
    "aiohttp",
    "aiohttp.web",
    "slack_sdk.web.async_client",
    "slack_bolt.app.async_app",
    "apscheduler.schedulers.asyncio",
    "bot.cli",
    "bot.cli.run",
    "bot.runtime",
    "bot.server",
    "bot.startup",
    "bot.jobs",
    "bot.slack.platform",
    "commands",
    "storage.models",
    "storage.migrate",
    "storage.seed",
)


def preload() -> None:
    import importlib

    for name in PRELOADED:
        # One that cannot be imported fails a start the same way without the server.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    with contextlib.suppress(ImportError):
        from commands import build_registry

        build_registry()  # imports every shipped feature, as each start's registry does
    from bot.heap import settle_heap

    # As a start does once it has imported: every forked bot then settles only what it made
    # itself, not the preloaded modules again (~60 ms each).
    settle_heap()


def serve(path: str) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGTERM, _stop)
    print("ready", flush=True)
    server, parent = os.getpid(), os.getppid()
    # Looks up once a second whether the test worker that started it is still there: a worker
    # killed outright (no atexit) leaves no server behind for long.
    listener.settimeout(1.0)
    try:
        while os.getppid() == parent:
            _accept(listener)
    except SystemExit:
        if os.getpid() == server:  # not in a bot's process ending through here
            _reap()
        raise


def _stop(number: int, frame: object) -> None:
    raise SystemExit(0)


def _reap() -> None:
    """Wait for the monitors that ended: so that their CPU (and their bots') is counted in the
    test run's, as a child's of the test worker."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _accept(listener: socket.socket) -> None:
    _reap()
    try:
        connection, _ = listener.accept()
    except TimeoutError:
        return
    try:
        message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
        request = json.loads(message.decode())
    except (OSError, ValueError):
        connection.close()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    if os.fork() == 0:
        listener.close()
        _monitor(connection, request, fds)  # never returns
    connection.close()
    for fd in fds:
        os.close(fd)


def _monitor(connection: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked monitor: fork the bot's process, answer its pid, then its return code."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    pid = os.fork()
    if pid == 0:
        connection.close()
        _become(request, fds)  # never returns: ends as an interpreter does
    try:
        for fd in fds:
            os.close(fd)
        connection.sendall(f"{pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
    finally:
        os._exit(0)


def _become(request: dict, fds: list[int]) -> None:
    """In the bot's process: its streams, directory, environment and arguments, then the
    console script's ``sys.exit(main())``."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    added = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[1:1] = added  # after the script's own directory, as the interpreter puts them
    sys.argv = list(request["argv"])
    os._exit(_run_to_the_end())


def _run_to_the_end() -> int:
    """The console script's ``sys.exit(main())`` and what the interpreter does after it (wait
    for non-daemon threads, run ``atexit``, flush the streams), without taking every module
    apart: that alone is some 0.3 s of CPU in each process and shows nothing to a test."""
    from bot.cli import main

    try:
        code = _exit_code(main())
    except SystemExit as ended:
        code = _exit_code(ended.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    threading._shutdown()  # type: ignore[attr-defined]  # the interpreter's own step
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return code


def _exit_code(value: object) -> int:
    """As ``sys.exit(value)`` ends a process: None 0, a number itself, anything else printed
    and 1."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)
    return 1


if __name__ == "__main__":
    # The console script's directory first on the path, as for ``chemclust-bot`` itself.
    sys.path[0] = os.path.dirname(sys.argv[2])
    preload()
    serve(sys.argv[1])
