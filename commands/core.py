"""The one entry point adapters call: build the context, run the handler, never leak a crash."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from commands.context import Context, Identity, Mention, Outsider, build_context
from commands.errors import CommandError, unknown_command
from commands.failures import error_reply, failure_reply
from commands.files import IncomingFile, unclaimed
from commands.form_sessions import (
    already_submitted,
    open_form_session,
    opened_in_another_group,
    refusal,
    stored_form,
    submitted_from,
    with_form_session,
)
from commands.messages import NOT_TAKEN, ChatMessage, MessageOutcome
from commands.registry import OutsiderHandler, Registry
from commands.reply import FormErrors, Paragraph, Reply, text
from commands.surface import NO_SURFACE, Surface
from storage.db import SessionFactory
from storage.form_sessions import use_form_session
from storage.models import utcnow
from storage.seen_events import SEEN_EVENTS_KEPT, claim_event, prune_seen_events, was_seen
from storage.text import clean_text
from storage.transactions import one_transaction

log = logging.getLogger(__name__)


class AlreadyDone(Exception):
    """The delivery or form was handled before: the work is rolled back, nothing is answered."""


class Core:
    """Runs commands, button actions and form submissions for every platform alike.

    Every text a person sends is cleaned on its way in (``clean_text``): what a command sees
    is what both databases can store.
    """

    def __init__(
        self,
        registry: Registry,
        sessions: SessionFactory,
        *,
        coordinators: frozenset[str] = frozenset(),
        clock: Callable[[], datetime] = utcnow,
        public_url: str = "",
        invitation_only: frozenset[str] = frozenset(),
    ):
        self.registry = registry
        self.sessions = sessions
        self.coordinators = coordinators
        self.clock = clock
        self.public_url = public_url
        self.invitation_only = invitation_only
        # Told of every command run: (its name, the reply's outcome, seconds); metrics use it.
        self.on_command: Callable[[str, str, float], None] | None = None

    def context(
        self,
        identity: Identity,
        *,
        can_open_forms: bool = False,
        mentions: tuple[Mention, ...] = (),
        surface: Surface = NO_SURFACE,
        sessions: SessionFactory | None = None,
        group_id: int | None = None,
    ) -> Context:
        """``group_id``: the working group an operator chose; else the identity's workspace's."""
        if identity.user_name:  # a display name people chose, stored with their member row
            identity = replace(identity, user_name=clean_text(identity.user_name))
        # Names of people mentioned are stored too (a coordinator named by mention).
        mentions = tuple(replace(m, name=clean_text(m.name)) for m in mentions)
        return build_context(
            identity,
            sessions=sessions or self.sessions,
            registry=self.registry,
            coordinators=self.coordinators,
            clock=self.clock,
            can_open_forms=can_open_forms,
            public_url=self.public_url,
            mentions=mentions,
            surface=surface,
            invitation_only=self.invitation_only,
            group_id=group_id,
        )

    def run_command(
        self,
        identity: Identity,
        name: str,
        arguments: str,
        *,
        can_open_forms: bool = False,
        mentions: tuple[Mention, ...] = (),
        surface: Surface = NO_SURFACE,
        delivery_id: str | None = None,
    ) -> Reply | None:
        """Run ``/name arguments``. With ``delivery_id`` (a platform that redelivers), the
        command's writes and the claim of the delivery commit together, and a redelivery
        gets None: it was done."""
        arguments = clean_text(arguments)
        command = self.registry.find_command(name)
        if command is None:
            return unknown_command(name, self.registry)
        started = time.perf_counter()
        outsider = self.registry.outsider_handler(command.name, arguments)
        # A command run before any group (accepting an invitation) is counted like the others.
        reply = (
            self._run_outsider(identity, outsider, arguments)
            if outsider is not None
            else self._run(
                identity,
                lambda ctx: command.handler(ctx, arguments),
                what=f"/{command.name}",
                can_open_forms=can_open_forms,
                mentions=mentions,
                surface=surface,
                delivery_id=delivery_id,
            )
        )
        if self.on_command is not None:
            outcome = "duplicate" if reply is None else reply.outcome
            self.on_command(command.name, outcome, time.perf_counter() - started)
        return reply

    def run_line(
        self,
        identity: Identity,
        line: str,
        *,
        can_open_forms: bool = False,
        mentions: tuple[Mention, ...] = (),
        surface: Surface = NO_SURFACE,
        delivery_id: str | None = None,
    ) -> Reply | None:
        """A typed line such as ``/benchmark Limburg`` or ``benchmark Limburg``."""
        stripped = clean_text(line).strip()
        if not stripped:
            return None
        name, _, arguments = stripped.partition(" ")
        return self.run_command(
            identity,
            name,
            arguments.strip(),
            can_open_forms=can_open_forms,
            mentions=mentions,
            surface=surface,
            delivery_id=delivery_id,
        )

    def _run_outsider(self, identity: Identity, handler: OutsiderHandler, arguments: str) -> Reply:
        by_invitation = identity.platform in self.invitation_only
        who = Outsider(identity, self.sessions, self.clock(), by_invitation)
        try:
            return handler(who, arguments)
        except Exception as error:
            return failure_reply(error, what=f"{handler.__name__} (before any group)")

    def run_handler(
        self,
        identity: Identity,
        handler: Callable[[Context], Reply | None],
        *,
        what: str,
        delivery_id: str | None = None,
    ) -> Reply | None:
        """Run platform-neutral code that is not a command (e.g. a file sent to the bot)."""
        return self._run(identity, handler, what=what, delivery_id=delivery_id)

    def receive_file(self, identity: Identity, incoming: IncomingFile) -> Reply | None:
        """A file sent to the bot, read by the first feature that claims it; None when it was
        handled before (a redelivery)."""
        incoming = replace(
            incoming, filename=clean_text(incoming.filename), message=clean_text(incoming.message)
        )
        intakes = self.registry.file_intakes
        intake = next((intake for intake in intakes if intake.claims(incoming)), None)
        if intake is None:
            return unclaimed(incoming, intakes)
        return self._run(
            identity, lambda ctx: intake.receive(ctx, incoming), what=f"file ({intake.reads})"
        )

    def run_action(
        self,
        identity: Identity,
        action_id: str,
        value: str,
        *,
        surface: Surface = NO_SURFACE,
        delivery_id: str | None = None,
        can_open_forms: bool = False,
    ) -> Reply | None:
        value = clean_text(value)
        handler = self.registry.actions.get(action_id)
        if handler is None:
            log.warning("button with unknown action id %r", action_id)
            return Reply(private=True, parts=(Paragraph(text("That button no longer works.")),))
        return self._run(
            identity,
            lambda ctx: handler(ctx, value),
            what=f"action {action_id}",
            surface=surface,
            delivery_id=delivery_id,
            can_open_forms=can_open_forms,
        )

    def submit_form(
        self,
        identity: Identity,
        form_id: str,
        values: dict[str, str],
        token: str,
        *,
        surface: Surface = NO_SURFACE,
    ) -> Submitted:
        """Run a form handler on the form handed out under ``token``.

        ``FormErrors`` propagate (with the stored form) so the adapter can show them per
        field; nothing is written then, and the form can be submitted again.
        """
        values = {name: clean_text(value) for name, value in values.items()}
        handler = self.registry.forms.get(form_id)
        if handler is None:
            log.warning("submission of unknown form %r", form_id)
            return Submitted(identity, refusal("That form is no longer available."))
        try:
            with one_transaction(self.sessions) as sessions:
                found = open_form_session(sessions, identity, form_id, token, now=self.clock())
                if isinstance(found, Reply):
                    return Submitted(identity, found)
                who = submitted_from(identity, found)
                ctx = self.context(who, can_open_forms=True, surface=surface, sessions=sessions)
                if ctx.group_id != found.group_id:  # its state names the other group's records
                    return Submitted(identity, opened_in_another_group())
                try:
                    reply = handler(ctx, values, found.state)
                except FormErrors as problems:
                    problems.form = stored_form(found)
                    raise
                with sessions.begin() as session:
                    if not use_form_session(session=session, session_id=found.id, now=ctx.now):
                        raise AlreadyDone
                return Submitted(who, with_form_session(ctx, reply))
        except AlreadyDone:
            return Submitted(identity, already_submitted())
        except FormErrors:
            raise
        except Exception as error:
            return Submitted(identity, failure_reply(error, what=f"form {form_id}"))

    def handle_message(self, identity: Identity, message: ChatMessage) -> MessageOutcome:
        """A message written where the bot listens, by ``identity``; handlers claim
        ``message.delivery_id`` themselves, in the transaction of their work."""
        message = replace(message, text=clean_text(message.text))
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

    def overhears(self, message: ChatMessage) -> bool:
        """Whether a handler would take this message overheard, bot not addressed: a platform
        that delivers a mention twice (as a message and as a mention) answers it once.
        From the text alone, without the database."""
        overheard = replace(message, text=clean_text(message.text), addressed=False)
        return any(listener.wants(overheard) for listener in self.registry.message_listeners)

    def message_taken(self, platform: str, channel_id: str, message_id: str) -> bool:
        """Whether a feature took the message a shortcut acted on (to mark it as taken)."""
        return any(
            taken(self.sessions, platform=platform, channel_id=channel_id, message_id=message_id)
            for taken in self.registry.taken_checks
        )

    def run_message_shortcut(
        self, identity: Identity, shortcut_id: str, message: ChatMessage
    ) -> Reply:
        message = replace(message, text=clean_text(message.text))
        handler = self.registry.message_shortcuts.get(shortcut_id)
        if handler is None:
            log.warning("message shortcut with unknown id %r", shortcut_id)
            return Reply(private=True, parts=(Paragraph(text("That shortcut no longer works.")),))
        reply = self._run(
            identity,
            lambda ctx: handler(ctx, message),
            what=f"shortcut {shortcut_id}",
            can_open_forms=True,
        )
        return reply or Reply()  # only a run with a delivery id answers None

    def _run(
        self,
        identity: Identity,
        work: Callable[[Context], Reply | None],
        *,
        what: str,
        can_open_forms: bool = False,
        mentions: tuple[Mention, ...] = (),
        surface: Surface = NO_SURFACE,
        delivery_id: str | None = None,
    ) -> Reply | None:
        """Build the context, run ``work``, keep a form's state here; never leak a crash."""
        options = {"can_open_forms": can_open_forms, "mentions": mentions, "surface": surface}
        try:
            if delivery_id is None:
                ctx = self.context(identity, **options)
                return _keep_form(ctx, work(ctx))
            with one_transaction(self.sessions) as sessions:
                ctx = self.context(identity, sessions=sessions, **options)
                with sessions() as session:
                    if was_seen(session=session, platform=identity.platform, event_id=delivery_id):
                        return None
                try:
                    reply = _keep_form(ctx, work(ctx))
                except CommandError as refused:
                    # Refused input wrote nothing; its answer counts as the delivery's answer.
                    reply = error_reply(refused)
                with sessions.begin() as session:
                    claimed = claim_event(
                        session=session,
                        platform=identity.platform,
                        event_id=delivery_id,
                        now=ctx.now,
                    )
                    if claimed:
                        prune_seen_events(session=session, older_than=ctx.now - SEEN_EVENTS_KEPT)
                if not claimed:
                    raise AlreadyDone
                return reply
        except AlreadyDone:
            return None
        except Exception as error:
            return failure_reply(error, what=what)


@dataclass(frozen=True)
class Submitted:
    """A form submission's answer, and who it is for where: the channel the form was opened
    in, as recorded when it was handed out."""

    identity: Identity
    reply: Reply


def _keep_form(ctx: Context, reply: Reply | None) -> Reply | None:
    return with_form_session(ctx, reply) if reply is not None else None
