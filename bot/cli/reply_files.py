"""Writing the file a chat command answered with, for the command-line exports and reports."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.console.render import render
from commands.reply import Reply


def write_reply_file(reply: Reply, out: Path, suffix: str) -> int:
    """Write the reply's ``suffix`` file to ``out`` (exit 0), or print its refusal (exit 2)."""
    attachment = next((f for f in reply.files if f.filename.endswith(suffix)), None)
    if attachment is None:
        print(render(reply), file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(attachment.content)
    print(f"Wrote {out.resolve()} ({reply.summary})")
    return 0
