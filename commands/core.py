"""The one entry point adapters call: build the context, run the handler, never leak a crash."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from commands.context import Context, Identity, build_context
from commands.errors import CommandError
from commands.messages import NOT_TAKEN, ChatMessage, MessageOutcome
from commands.registry import Registry
from commands.reply import Code, FormErrors, Paragraph, Reply, code_lines, text
from storage.db import SessionFactory, database_unreachable, outage_reason
from storage.models import utcnow

log = logging.getLogger(__name__)
R = TypeVar("R", Reply, Reply | None)
DATABASE_UNAVAILABLE = "The bot's database is unavailable; please try again in a minute."


class Core:
    """Runs commands, button actions and form submissions for every platform alike."""

    def __init__(
        self,
        registry: Registry,
        sessions: SessionFactory,
        *,
        coordinators: frozenset[str] = frozenset(),
        clock: Callable[[], datetime] = utcnow,
        public_url: str = "",
    ):
        self.registry = registry
        self.sessions = sessions
        self.coordinators = coordinators
        self.clock = clock
        self.public_url = public_url

    def context(self, identity: Identity, *, can_open_forms: bool = False) -> Context:
        return build_context(
            identity,
            sessions=self.sessions,
            registry=self.registry,
            coordinators=self.coordinators,
            clock=self.clock,
            can_open_forms=can_open_forms,
            public_url=self.public_url,
        )

    def run_command(
        self, identity: Identity, name: str, arguments: str, *, can_open_forms: bool = False
    ) -> Reply:
        command = self.registry.find_command(name)
        if command is None:
            return unknown_command(name, self.registry)
        return self._guarded(
            lambda: command.handler(
                self.context(identity, can_open_forms=can_open_forms), arguments
            ),
            what=f"/{command.name}",
        )

    def run_line(
        self, identity: Identity, line: str, *, can_open_forms: bool = False
    ) -> Reply | None:
        """A typed line such as ``/benchmark Limburg`` or ``benchmark Limburg``."""
        stripped = line.strip()
        if not stripped:
            return None
        name, _, arguments = stripped.partition(" ")
        return self.run_command(identity, name, arguments.strip(), can_open_forms=can_open_forms)

    def run_handler(
        self, identity: Identity, handler: Callable[[Context], Reply | None], *, what: str
    ) -> Reply | None:
        """Run platform-neutral code that is not a command (e.g. a file sent to the bot)."""
        return self._guarded(lambda: handler(self.context(identity)), what=what)

    def run_action(self, identity: Identity, action_id: str, value: str) -> Reply:
        handler = self.registry.actions.get(action_id)
        if handler is None:
            log.warning("button with unknown action id %r", action_id)
            return Reply(private=True, parts=(Paragraph(text("That button no longer works.")),))
        return self._guarded(
            lambda: handler(self.context(identity), value), what=f"action {action_id}"
        )

    def submit_form(
        self, identity: Identity, form_id: str, values: dict[str, str], state: str
    ) -> Reply:
        """Run a form handler; ``FormErrors`` propagate so the adapter can show them per field."""
        handler = self.registry.forms.get(form_id)
        if handler is None:
            log.warning("submission of unknown form %r", form_id)
            return Reply(
                private=True, parts=(Paragraph(text("That form is no longer available.")),)
            )

        def submit() -> Reply:
            return handler(self.context(identity, can_open_forms=True), values, state)

        return self._guarded(submit, what=f"form {form_id}", passthrough=(FormErrors,))

    def handle_message(self, identity: Identity, message: ChatMessage) -> MessageOutcome:
        """A message written where the bot listens; ``identity`` is its author."""
        listeners = [
            listener for listener in self.registry.message_listeners if listener.wants(message)
        ]
        if not listeners:
            return NOT_TAKEN
        try:
            ctx = self.context(identity)
            for listener in listeners:
                outcome = listener.handle(ctx, message)
                if outcome is not None:
                    return outcome
        except Exception as error:
            return MessageOutcome(private=failure_reply(error, what=f"{message.kind} message"))
        return NOT_TAKEN

    def run_message_shortcut(
        self, identity: Identity, shortcut_id: str, message: ChatMessage
    ) -> Reply:
        handler = self.registry.message_shortcuts.get(shortcut_id)
        if handler is None:
            log.warning("message shortcut with unknown id %r", shortcut_id)
            return Reply(private=True, parts=(Paragraph(text("That shortcut no longer works.")),))
        return self._guarded(
            lambda: handler(self.context(identity, can_open_forms=True), message),
            what=f"shortcut {shortcut_id}",
        )

    def _guarded(
        self,
        run: Callable[[], R],
        *,
        what: str,
        passthrough: tuple[type[Exception], ...] = (),
    ) -> R | Reply:
        try:
            return run()
        except passthrough:
            raise
        except Exception as error:
            return failure_reply(error, what=what)


def failure_reply(error: Exception, *, what: str) -> Reply:
    """A private answer for a failed request: the user's mistake, or an error id to quote."""
    if isinstance(error, CommandError):
        return error_reply(error)
    if database_unreachable(error):
        # Not a bug to look up: one line, no traceback, and it passes by itself.
        log.warning("database unavailable during %s: %s", what, outage_reason(error))
        return database_unavailable()
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s while running %s", error_id, what, exc_info=error)
    return Reply(
        private=True,
        parts=(
            Paragraph(
                text(
                    "Sorry, something went wrong on our side. The coordinators can look "
                    "it up with error id ",
                    Code(error_id),
                    ".",
                )
            ),
        ),
        summary=f"Something went wrong (error id {error_id}).",
    )


def database_unavailable() -> Reply:
    return Reply(
        private=True,
        parts=(Paragraph(text(DATABASE_UNAVAILABLE)),),
        summary=DATABASE_UNAVAILABLE,
    )


def error_reply(error: CommandError) -> Reply:
    parts = [Paragraph(text(error.message))]
    if error.usage:
        lines = error.usage.splitlines()
        separator = "\n" if len(lines) > 1 else " "
        parts.append(Paragraph(text("Usage:", separator, *code_lines(lines))))
    return Reply(private=True, parts=tuple(parts), summary=error.message)


def unknown_command(name: str, registry: Registry) -> Reply:
    known = ", ".join(f"/{command}" for command in sorted(registry.commands))
    return Reply(
        private=True,
        parts=(
            Paragraph(text("There is no command ", Code("/" + name.strip().lstrip("/")), ".")),
            Paragraph(text(f"Commands: {known}. Try ", Code("/chemclust help"), ".")),
        ),
    )
