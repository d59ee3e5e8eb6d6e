"""What the bot can do: commands by name, button actions and form handlers by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.reply import Reply

if TYPE_CHECKING:
    from commands.context import Context
    from commands.messages import ChatMessage, MessageOutcome

CommandHandler = Callable[["Context", str], Reply]
ActionHandler = Callable[["Context", str], Reply]
# A form handler gets the submitted values by field name and the form's state; it raises
# ``FormErrors`` to send the person back to the form.
FormHandler = Callable[["Context", dict[str, str], str], Reply]
# A message handler returns None when the message is none of its business.
MessageHandler = Callable[["Context", "ChatMessage"], "MessageOutcome | None"]
# A shortcut on a message (Slack's message shortcuts) answers like a command, often with a form.
ShortcutHandler = Callable[["Context", "ChatMessage"], Reply]


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


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.actions: dict[str, ActionHandler] = {}
        self.forms: dict[str, FormHandler] = {}
        self.message_listeners: list[MessageListener] = []
        self.message_shortcuts: dict[str, ShortcutHandler] = {}

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

    def add_message_shortcut(self, shortcut_id: str, handler: ShortcutHandler) -> None:
        if shortcut_id in self.message_shortcuts:
            raise ValueError(f"message shortcut {shortcut_id!r} is registered twice")
        self.message_shortcuts[shortcut_id] = handler

    def find_command(self, name: str) -> Command | None:
        return self.commands.get(name.strip().lstrip("/").lower())
