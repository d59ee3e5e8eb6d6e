"""What the bot can do: commands by name, button actions and form handlers by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.reply import Reply

if TYPE_CHECKING:
    from commands.context import Context

CommandHandler = Callable[["Context", str], Reply]
ActionHandler = Callable[["Context", str], Reply]
# A form handler gets the submitted values by field name and the form's state; it raises
# ``FormErrors`` to send the person back to the form.
FormHandler = Callable[["Context", dict[str, str], str], Reply]


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

    def find_command(self, name: str) -> Command | None:
        return self.commands.get(name.strip().lstrip("/").lower())
