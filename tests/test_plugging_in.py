"""A feature and a platform nobody wrote into the bot plug in, and work end to end.

The feature ("greeting") registers a command, an overheard-message handler, a job, a web
route and a command-line tool; the platform ("echo") takes lines over its own HTTP route and
receives what jobs post. Neither needs an edit of the bot: the feature goes into a registry
built by ``build_registry`` (or, for a process of its own, is named in CHEMCLUST_FEATURES),
the platform into the runtime's platforms next to Slack and Teams.
"""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import threading
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from aiohttp import web

from bot.cli import main
from bot.cli.console import console_reminders
from bot.console.render import render
from bot.console.repl import run_console
from bot.platforms import Connection, Health, default_platforms
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from commands import build_registry
from commands.context import Context, Identity
from commands.core import Core
from commands.errors import CommandError
from commands.jobs import Every, Job, JobContext
from commands.messages import POSTED, ChatMessage, MessageOutcome
from commands.port import CannotTell, Lookup, Mark, Outcome, Sent, Target
from commands.registry import Registry
from commands.reply import Paragraph, Reply, text
from commands.routes import Route, WebRequest, WebResponse
from commands.tools import Tool, ToolGroup, ToolOutcome
from storage.groups import default_group
from storage.regions import list_regions
from tests.support.bot_server import start_bot
from tests.support.mock_slack import MockSlack
from tests.support.processes import environment, run_command
from tests.support.slack_requests import post

# The made-up feature -------------------------------------------------------------------------

HELLO_USAGE = "/hello [<name>]"


def hello(ctx: Context, arguments: str) -> Reply:
    name = arguments.strip() or ctx.identity.user_name or ctx.identity.user_id
    if len(name) > 40:
        raise CommandError("A name of at most 40 characters, please.", usage=HELLO_USAGE)
    return Reply(parts=(Paragraph(text(f"Hello, {name}!")),), summary=f"Hello, {name}!")


def wants_ping(message: ChatMessage) -> bool:
    return message.text.lower().startswith("ping")


def pong(ctx: Context, message: ChatMessage) -> MessageOutcome:
    return MessageOutcome(private=Reply(parts=(Paragraph(text("pong")),), summary="pong"))


def tick(ctx: JobContext) -> None:
    for platform, send in ctx.senders.items():
        said = Reply(parts=(Paragraph(text("Tick")),), summary="Tick")
        send(Target(platform, {"channel": "lobby"}), said, Mark("tick", 1))


def greetings_page(request: WebRequest) -> WebResponse:
    with request.sessions() as session:
        group = default_group(session=session)
        regions = list_regions(session=session, group_id=group.id)
    name = request.params["name"]
    return WebResponse(f"Hello, {name}! {len(regions)} regions are listening.\n".encode())


GREET = ToolGroup("greet", "send greetings from the command line")


def card_arguments(parser) -> None:
    parser.add_argument("name", help="who the card is for")


def greeting_card(ctx: Context, args) -> ToolOutcome:
    if len(args.name) > 40:
        return ToolOutcome(code=2, refusal="A name of at most 40 characters, please.")
    with ctx.sessions() as session:
        regions = list_regions(session=session, group_id=ctx.group_id)
    card = f"Hello, {args.name}! {len(regions)} regions of {ctx.group_name} are listening.\n"
    return ToolOutcome(file=card.encode(), written="a greeting card")


def register(registry: Registry) -> None:
    """The whole feature; CHEMCLUST_FEATURES=tests.test_plugging_in loads it into a process."""
    registry.add_command("hello", hello, summary="Say hello", usage=(HELLO_USAGE,))
    registry.add_message_handler(pong, wants=wants_ping)
    registry.add_job(Job("greeting-tick", Every(seconds=3600, at_start=True), tick))
    registry.add_route(Route("/greetings/{name:[a-z]{1,20}}.txt", greetings_page, what="page"))
    registry.add_tool(
        Tool(
            GREET,
            "card",
            help="a greeting card for someone, as a text file",
            topic="greeting cards",
            arguments=card_arguments,
            run=greeting_card,
            writes=(".txt",),
            out_help="the card to write: NAME.txt",
        )
    )


def registry_with_greeting() -> Registry:
    registry = build_registry()
    register(registry)
    return registry


# The made-up platform ------------------------------------------------------------------------


class EchoSender:
    def __init__(self) -> None:
        self.posted: list[tuple[Target, str]] = []
        self.arrived = threading.Event()

    def __call__(self, target: Target, reply: Reply, mark: Mark) -> Outcome:
        self.posted.append((target, render(reply)))
        self.arrived.set()
        return Sent(f"echo:{len(self.posted)}")

    def find(self, target: Target, mark: Mark, *, since: datetime) -> Lookup:
        return CannotTell("the echo platform keeps no history")


class EchoPlatform:
    """Lines as JSON on ``POST /echo``; a line starting with / is a command, any other is a
    message said where the bot listens."""

    name = "echo"

    def __init__(self) -> None:
        self.sender = EchoSender()

    def standalone_sender(self, settings: Settings) -> EchoSender | None:
        return None

    async def check_credentials(self, settings: Settings) -> None:
        return None

    def start(self, runtime: Runtime) -> Connection:
        return EchoConnection(runtime.core, self.sender)


class EchoConnection:
    name = EchoPlatform.name
    mode = "on"

    def __init__(self, core: Core, sender: EchoSender):
        self.core = core
        self._sender = sender

    def mount(self, app: web.Application) -> None:
        app.router.add_post("/echo", self.receive)

    async def receive(self, request: web.Request) -> web.Response:
        said = await request.json()
        who = Identity(platform=self.name, user_id=said["user"], user_name=said["user"])
        if said["text"].startswith("/"):
            reply = await asyncio.to_thread(self.core.run_line, who, said["text"])
        else:
            message = ChatMessage(
                kind=POSTED,
                channel_id="lobby",
                message_id=said["id"],
                text=said["text"],
                author_id=said["user"],
                posted_at=self.core.clock(),
            )
            outcome = await asyncio.to_thread(self.core.handle_message, who, message)
            reply = outcome.private
        return web.json_response({"text": render(reply) if reply is not None else None})

    async def connect(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def sender(self) -> EchoSender:
        return self._sender

    async def health(self) -> Health:
        return Health()


# Over HTTP, in the real web process ----------------------------------------------------------


def say(url: str, text: str, *, message_id: str = "1") -> str | None:
    body = json.dumps({"user": "ana", "text": text, "id": message_id})
    answer = post(url + "/echo", body, {"content-type": "application/json"})
    assert answer.status == 200, answer.text
    return answer.json()["text"]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read().decode()


def status(url: str) -> int:
    try:
        return get(url)[0]
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_made_up_feature_and_platform_work_over_http(bot_settings, mock_slack: MockSlack):
    echo = EchoPlatform()
    running = start_bot(
        replace(bot_settings, scheduler_enabled=True),
        registry=registry_with_greeting(),
        platforms=(*default_platforms(), echo),
    )
    try:
        assert echo.sender.arrived.wait(timeout=20)  # the job runs once at start
        greeted = say(running.url, "/hello Ana")
        refused = say(running.url, "/hello " + "x" * 41)
        ponged = say(running.url, "ping?", message_id="2")
        chatter = say(running.url, "nice weather", message_id="3")
        page = get(running.url + "/greetings/ana.txt")
        outside_the_pattern = [
            status(running.url + path)
            for path in ("/greetings/ANA.txt", "/greetings/a-b.txt", "/greetings/.txt")
        ]
        health = json.loads(get(running.url + "/healthz")[1])
    finally:
        running.stop()
    assert greeted == "Hello, Ana!"
    assert "at most 40 characters" in refused
    assert HELLO_USAGE in refused
    assert ponged == "pong"
    assert chatter is None  # ordinary conversation: no handler takes it, nothing is said
    assert page == (200, "Hello, ana! 10 regions are listening.\n")
    assert outside_the_pattern == [404, 404, 404]
    assert health["platforms"] == {"slack": "http", "teams": "off", "echo": "on"}
    # One registered job reached every platform this process serves.
    assert [(t.platform, t.conversation, said) for t, said in echo.sender.posted] == [
        ("echo", {"channel": "lobby"}, "Tick")
    ]
    assert [call.data["channel"] for call in mock_slack.of("chat.postMessage")] == ["lobby"]


# In the console ------------------------------------------------------------------------------


def test_a_made_up_feature_works_in_the_console(database_url, tmp_path):
    runtime = build_runtime(Settings(database_url=database_url), registry=registry_with_greeting())
    me = Identity(platform="console", user_id="ana", user_name="Ana")
    out = io.StringIO()
    typed = io.StringIO("/hello\n/hello Bea\n/hello " + "x" * 41 + "\n")
    try:
        run_console(
            runtime.core,
            me,
            out_dir=tmp_path,
            stdin=typed,
            stdout=out,
            reminders=console_reminders(runtime, stdout=out),
        )
    finally:
        runtime.engine.dispose()
    printed = out.getvalue()
    assert "Hello, Ana!" in printed
    assert "Hello, Bea!" in printed
    assert "at most 40 characters" in printed
    assert HELLO_USAGE in printed
    # The job's post, through the console's sender: once, as its hour has not come round again.
    assert printed.count("⏰ [reminder]\nTick") == 1


# On the command line ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def chemclust_bot(database_url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """``chemclust-bot …`` in a process of its own, with the greeting named as a feature (found
    on PYTHONPATH, as an operator's module installed next to the bot)."""
    env = environment(
        DATABASE_URL=database_url, CHEMCLUST_FEATURES="tests.test_plugging_in", PYTHONPATH=str(ROOT)
    )
    return run_command(list(argv), cwd=ROOT, env=env)


def test_a_made_up_feature_offers_a_command_line_tool(database_url, tmp_path, monkeypatch, capsys):
    listed = chemclust_bot(database_url, "--help")
    card = tmp_path / "cards" / "ana.txt"
    written = chemclust_bot(database_url, "greet", "card", "Ana", "--out", str(card))
    elsewhere = tmp_path / "nowhere.txt"
    unknown_group = chemclust_bot(
        database_url, "greet", "card", "Ana", "--out", str(elsewhere), "--group", "nosuch"
    )

    assert listed.returncode == 0, listed.stderr
    assert "send greetings from the command line: greeting cards" in listed.stdout
    assert (written.returncode, written.stderr) == (0, ""), written.stderr
    assert written.stdout == f"Wrote {card.resolve()} (a greeting card)\n"
    assert card.read_text() == (
        "Hello, Ana! 10 regions of ChemClust Interregional Working Group are listening.\n"
    )
    assert (unknown_group.returncode, unknown_group.stdout) == (1, "")
    assert unknown_group.stderr == (
        "chemclust-bot: There is no working group “nosuch”. The working groups are: chemclust.\n"
    )
    assert not elsewhere.exists()

    # The same entry in this process, with the feature's registry handed in.
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("bot.runtime.configure_logging", lambda *args, **kwargs: None)
    registry = registry_with_greeting()
    assert main(["greet", "card", "x" * 41, "--out", str(elsewhere)], registry=registry) == 2
    assert capsys.readouterr().out == "chemclust-bot: A name of at most 40 characters, please.\n"
    assert (
        main(["greet", "card", "Bea", "--out", str(tmp_path / "bea.pdf")], registry=registry) == 2
    )
    assert capsys.readouterr().err == "chemclust-bot: --out must end in .txt, not bea.pdf\n"
    assert not elsewhere.exists()
    assert not (tmp_path / "bea.pdf").exists()
