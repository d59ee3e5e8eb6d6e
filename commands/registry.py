"""Every plug-in point of the bot: what a feature registers, from its own package.

Commands by name; button actions and form handlers by id; handlers of messages the bot
overhears (each with a cheap pre-check that needs no database); message shortcuts; readers of
files sent to the bot; jobs on a timer; read-only web routes; command-line tools. Adapters and
the process wiring iterate this registry; they import no feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from commands.files import FileIntake
from commands.jobs import Job
from commands.reply import Reply
from commands.routes import Route
from commands.tools import Tool

if TYPE_CHECKING:
    from commands.context import Context, Outsider
    from commands.messages import ChatMessage, MessageOutcome
    from storage.db import SessionFactory

CommandHandler = Callable[["Context", str], Reply]
ActionHandler = Callable[["Context", str], Reply]
# A form handler gets the submitted values by field name and the form's state; it raises
# ``FormErrors`` to send the person back to the form.
FormHandler = Callable[["Context", dict[str, str], str], Reply]
# A message handler returns None when the message is none of its business.
MessageHandler = Callable[["Context", "ChatMessage"], "MessageOutcome | None"]
# A command run before any context, for a workspace that may belong to no group yet.
OutsiderHandler = Callable[["Outsider", str], Reply]
# A shortcut on a message (Slack's message shortcuts) answers like a command, often with a form.
ShortcutHandler = Callable[["Context", "ChatMessage"], Reply]
# The answer to what someone wrote to the bot that is no command (the words as written).
NotUnderstoodHandler = Callable[["Context", str], Reply]
# The first words to someone who has just installed or opened the bot.
WelcomeHandler = Callable[["Context"], Reply]


class MessageTaken(Protocol):
    """Whether a message a shortcut acted on is now the feature's (a logged update), so that
    platforms that mark such messages (Slack's ✅) mark it once the shortcut's form is in."""

    def __call__(
        self, sessions: SessionFactory, *, platform: str, channel_id: str, message_id: str
    ) -> bool: ...


@dataclass(frozen=True)
class MessageListener:
    # Decides from the message alone, without the database: most messages concern nobody.
    wants: Callable[[ChatMessage], bool]
    handle: MessageHandler


@dataclass(frozen=True)
class Command:
    name: str
    handler: CommandHandler
    summary: str
    usage: tuple[str, ...]  # one line per form, e.g. "/benchmark <region>"


@dataclass(frozen=True)
class OutsiderCommand:
    command: str
    wants: Callable[[str], bool]  # from the command's arguments alone
    handler: OutsiderHandler


class RegistrationConflict(ValueError):
    """Two registrations that would answer to the same words."""


def tool_owner(tool: Tool) -> str:
    """The tool as its author knows it: its words and the function that runs it."""
    return f"tool {' '.join(tool.key)!r} ({tool.run.__module__}.{tool.run.__qualname__})"


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.actions: dict[str, ActionHandler] = {}
        self.forms: dict[str, FormHandler] = {}
        self.message_listeners: list[MessageListener] = []
        self.message_shortcuts: dict[str, ShortcutHandler] = {}
        self.taken_checks: list[MessageTaken] = []
        self.file_intakes: list[FileIntake] = []
        self.jobs: dict[str, Job] = {}
        self.routes: dict[str, Route] = {}
        self.tools: dict[tuple[str, str], Tool] = {}
        # Words the host's own command line answers to (``db``; ``export audit``), by who
        # answers: a tool may not take them.
        self.taken_tool_words: dict[tuple[str, ...], str] = {}
        self.not_understood: NotUnderstoodHandler | None = None
        self.welcome: WelcomeHandler | None = None
        self.outsider_commands: list[OutsiderCommand] = []

    def add_command(
        self, name: str, handler: CommandHandler, *, summary: str, usage: tuple[str, ...]
    ) -> None:
        if name in self.commands:
            raise ValueError(f"command {name!r} is registered twice")
        self.commands[name] = Command(name=name, handler=handler, summary=summary, usage=usage)

    def add_action(self, action_id: str, handler: ActionHandler) -> None:
        if action_id in self.actions:
            raise ValueError(f"action {action_id!r} is registered twice")
        self.actions[action_id] = handler

    def add_form(self, form_id: str, handler: FormHandler) -> None:
        if form_id in self.forms:
            raise ValueError(f"form {form_id!r} is registered twice")
        self.forms[form_id] = handler

    def add_message_handler(
        self, handle: MessageHandler, *, wants: Callable[[ChatMessage], bool]
    ) -> None:
        self.message_listeners.append(MessageListener(wants=wants, handle=handle))

    def add_message_shortcut(
        self, shortcut_id: str, handler: ShortcutHandler, *, taken: MessageTaken | None = None
    ) -> None:
        if shortcut_id in self.message_shortcuts:
            raise ValueError(f"message shortcut {shortcut_id!r} is registered twice")
        self.message_shortcuts[shortcut_id] = handler
        if taken is not None:
            self.taken_checks.append(taken)

    def add_file_intake(self, intake: FileIntake) -> None:
        """Asked in the order registered whether a file is theirs."""
        self.file_intakes.append(intake)

    def add_job(self, job: Job) -> None:
        if job.name in self.jobs:
            raise ValueError(f"job {job.name!r} is registered twice")
        self.jobs[job.name] = job

    def add_route(self, route: Route) -> None:
        if route.path in self.routes:
            raise ValueError(f"route {route.path!r} is registered twice")
        self.routes[route.path] = route

    def add_tool(self, tool: Tool) -> None:
        """A command-line tool, ``chemclust-bot <group> <name>``; listed in the order added.

        Refused when another tool has its words, or when its group or its words are the
        command line's own (``RegistrationConflict`` naming both)."""
        if tool.key in self.tools:
            raise RegistrationConflict(
                f"{tool_owner(tool)} has the words of {tool_owner(self.tools[tool.key])}: "
                "give one of them another name"
            )
        self._refuse_taken_words(tool, self.taken_tool_words)
        self.tools[tool.key] = tool

    def take_tool_words(self, taken: Mapping[tuple[str, ...], str]) -> None:
        """Words no tool may have: a group (``("db",)``) or a group and a name (``("export",
        "audit")``) the command line answers to itself, by what answers them."""
        for tool in self.tools.values():
            self._refuse_taken_words(tool, taken)
        self.taken_tool_words.update(taken)

    @staticmethod
    def _refuse_taken_words(tool: Tool, taken: Mapping[tuple[str, ...], str]) -> None:
        for words in ((tool.group.name,), tool.key):
            if words in taken:
                what = "group" if len(words) == 1 else "words"
                raise RegistrationConflict(
                    f"{tool_owner(tool)} has the {what} {' '.join(words)!r} of the command "
                    f"line's own sub-command ({taken[words]}): give the tool another "
                    f"{'group' if len(words) == 1 else 'name'}"
                )

    def set_conversation(
        self, *, not_understood: NotUnderstoodHandler, welcome: WelcomeHandler
    ) -> None:
        """What the bot says, written to, to text that is no command and to a newcomer."""
        if self.not_understood is not None:
            raise ValueError("the conversation answers are registered twice")
        self.not_understood, self.welcome = not_understood, welcome

    def add_outsider_command(
        self, command: str, handler: OutsiderHandler, *, wants: Callable[[str], bool]
    ) -> None:
        """``/command …`` whose arguments ``wants`` runs ``handler`` for anyone, whether or not
        their workspace belongs to a group (accepting an invitation links it to one)."""
        self.outsider_commands.append(OutsiderCommand(command, wants, handler))

    def outsider_handler(self, command: str, arguments: str) -> OutsiderHandler | None:
        return next(
            (
                each.handler
                for each in self.outsider_commands
                if each.command == command and each.wants(arguments)
            ),
            None,
        )

    def find_command(self, name: str) -> Command | None:
        return self.commands.get(name.strip().lstrip("/").lower())
