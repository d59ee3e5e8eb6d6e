"""How long a Teams reminder takes end to end: claim, render the card, hop onto the web
process's event loop, POST to the (stub) Bot Connector, record.

Run: ``.venv/bin/python -m tests.benchmarks.bench_teams_reminders [DATABASE_URL]`` (default:
a temporary SQLite file). Prints figures; asserts nothing. The stub connector answers at
once on localhost, so this is the bot's own cost per message, not Teams' latency.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import Settings
from bot.teams.sender import TeamsReminderSender
from commands.reminders.dispatch import Dispatcher
from tests.benchmarks.bench_reminders import seed_rows
from tests.support.bot_server import start_bot
from tests.support.teams import StubConnector, activity, post_activity

CONVERSATIONS = 100


def conversation(number: int) -> str:
    return f"19:bench{number}@thread.tacv2;messageid=1"


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'b.db'}"
    connector = StubConnector()
    bot = start_bot(
        Settings(
            database_url=url,
            host="127.0.0.1",
            port=0,
            teams_allow_anonymous=True,
            scheduler_enabled=False,
        )
    )
    try:
        started = time.perf_counter()
        for number in range(CONVERSATIONS):
            body = activity(
                "chemclust help",
                service_url=connector.service_url,
                conversation=conversation(number),
                expect_replies=True,
            )
            post_activity(bot.url + "/api/messages", body)
        seconds = time.perf_counter() - started
        print(
            f"{CONVERSATIONS} Teams activities answered (expectReplies), references stored: "
            f"{seconds / CONVERSATIONS * 1000:.1f} ms each"
        )

        now = datetime.now(UTC)
        channels = [conversation(n) for n in range(CONVERSATIONS)]
        seed_rows(bot.runtime.core.sessions, now, platform="teams", channels=channels)
        sender = TeamsReminderSender(bot._server.connections["teams"].bot.sender, bot._loop)
        dispatcher = Dispatcher(bot.runtime.core.sessions, {"teams": sender}, clock=lambda: now)
        started = time.perf_counter()
        report = dispatcher.run_once()
        seconds = time.perf_counter() - started
        print(
            f"{bot.runtime.engine.dialect.name}: {report.sent} Teams reminders sent through the "
            f"bridge to the stub connector in {seconds:.2f} s "
            f"({report.sent / seconds:.0f}/s, {seconds / report.sent * 1000:.1f} ms each); "
            f"{len(connector.messages())} arrived"
        )
    finally:
        bot.stop()
        connector.close()


if __name__ == "__main__":
    main()
