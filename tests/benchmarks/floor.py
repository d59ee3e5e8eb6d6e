"""The floor: a bare Bolt ``AsyncApp`` on aiohttp that acknowledges every slash command of the
bot with a static text, after verifying its signature like any Bolt app. No Bolt app can
answer faster on this machine; the suite measures the bot against it, side by side.

    python -m tests.benchmarks.floor               serve on $PORT (SLACK_* as the bot reads them)
    python -m tests.benchmarks.floor --start-only  import and build the app, then exit
    python -m tests.benchmarks.floor --post N      post N messages to N channels, print the rate

``--post`` is the dispatcher's floor: ``--threads`` threads (8) posting through slack_sdk's
``WebClient`` to the Web API at ``SLACK_API_URL``, with no database work at all; what the
mock can take, and so what no dispatcher can beat. The module imports nothing
of the bot or of the tests, so that its process stays as bare as the floor must be.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from aiohttp import web

COMMANDS = (
    "/benchmark",
    "/practice",
    "/pilot",
    "/deadline",
    "/workshop",
    "/chemclust",
    "/home",
    "/recommendation",
)
STATIC_TEXT = "Static answer from the floor."


def build_app() -> web.Application:
    from slack_bolt.app.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(
        token=os.environ["SLACK_BOT_TOKEN"],
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
    )
    bolt = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    async def acknowledge(ack) -> None:
        await ack(STATIC_TEXT)

    for command in COMMANDS:
        bolt.command(command)(acknowledge)
    app = bolt.web_app(path="/slack/events")

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/healthz", healthz)
    return app


def post_messages(count: int, threads: int) -> dict[str, float]:
    from concurrent.futures import ThreadPoolExecutor

    from slack_sdk import WebClient

    def post(numbers: range) -> None:
        client = WebClient(
            token=os.environ["SLACK_BOT_TOKEN"],
            base_url=os.environ["SLACK_API_URL"],
            timeout=15,
            retry_handlers=[],
        )
        for number in numbers:
            client.chat_postMessage(channel=f"CFLOOR{number:05d}", text=f"Floor message {number}")

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(post, (range(first, count, threads) for first in range(threads))))
    seconds = time.monotonic() - started
    return {"messages": count, "seconds": seconds, "per_second": count / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start-only", action="store_true")
    parser.add_argument("--post", type=int, default=0, metavar="N")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.post:
        print(json.dumps(post_messages(args.post, args.threads)))
        return
    app = build_app()
    if args.start_only:
        return
    web.run_app(
        app,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        access_log=None,
        print=None,
        handle_signals=True,
    )


if __name__ == "__main__":
    main()
