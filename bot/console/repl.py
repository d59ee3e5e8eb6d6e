"""The local console: the real command pipeline on the embedded database, no account needed."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.console.reminders import ConsoleReminders
from bot.console.render import render
from bot.console.surface import CONSOLE_SURFACE
from commands.context import CHANNEL, PERSON, Identity, Mention
from commands.conversation import answer_written
from commands.core import Core
from commands.reply import Reply

PROMPT = "chemclust> "
GOODBYE = {"exit", "quit", ":q", "/exit", "/quit"}


def save_files(reply: Reply, out_dir: Path) -> list[Path]:
    saved = []
    for attachment in reply.files:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / Path(attachment.filename).name
        path.write_bytes(attachment.content)
        saved.append(path.resolve())
    return saved


# In the console people and channels are their ids: "@U045EF6GH", "#CPILOTS".
_NAMED = re.compile(r"(?<!\S)([@#])([\w.:-]+)")


def mentions_in(line: str) -> tuple[Mention, ...]:
    return tuple(
        Mention(PERSON if sign == "@" else CHANNEL, name, name)
        for sign, name in _NAMED.findall(line)
    )


def answer(core: Core, identity: Identity, line: str, out_dir: Path) -> str | None:
    if not line.strip():
        return None
    reply = answer_written(
        core, identity, line, mentions=mentions_in(line), surface=CONSOLE_SURFACE
    )
    if reply is None:
        return None
    rendered = render(reply)
    for path in save_files(reply, out_dir):
        rendered += f"\nSaved {path}"
    return rendered


def run_console(
    core: Core,
    identity: Identity,
    *,
    out_dir: Path,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    reminders: ConsoleReminders | None = None,
) -> int:
    """Answer one line at a time; a terminal gets a prompt, piped input runs to its end.

    Due reminders are printed before each answer, and in a terminal also while it waits.
    """
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        import readline  # noqa: F401 - gives input() line editing and history

        print("ChemClust bot console. Try home, help or /benchmark Limburg; quit or Ctrl-D leaves.")
    if reminders is not None:
        reminders.check()
        if interactive:
            reminders.start_background()
    try:
        for line in _lines(stdin, interactive):
            if line.strip().lower() in GOODBYE:
                break
            if reminders is not None:
                reminders.check()
            output = answer(core, identity, line, out_dir)
            if output is not None:
                if reminders is not None:
                    with reminders.output_lock:
                        print(output, end="\n\n", file=stdout, flush=True)
                else:
                    print(output, end="\n\n", file=stdout, flush=True)
    finally:
        if reminders is not None:
            reminders.stop()
    return 0


def _lines(stdin: TextIO, interactive: bool) -> Iterator[str]:
    if not interactive:
        yield from stdin
        return
    while True:
        try:
            yield input(PROMPT)
        except (EOFError, KeyboardInterrupt):
            print()
            return
