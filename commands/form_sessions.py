"""Forms handed out and taken back: the state stays here, the client holds a token.

Whatever a client sends back with a form (Slack's ``private_metadata``, a Teams card's data)
is a claim, not a fact. So when a command answers with a form, its state, the person it is
for and the channel it was opened in are stored, and the form the adapter renders carries
only an unguessable token in their place. A submission brings the token back; it is checked
(the same person, the same form, not expired, not used) and used up in the transaction that
does the form's work.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from commands.context import Context, Identity
from commands.reply import Form, FormField, Paragraph, Reply, text
from storage.db import SessionFactory
from storage.form_sessions import find_form_session, issue_form_session
from storage.models import FormSession


def form_to_json(form: Form) -> dict[str, Any]:
    return asdict(form)


def form_from_json(data: dict[str, Any]) -> Form:
    fields = tuple(
        FormField(**{**f, "options": tuple(tuple(option) for option in f.get("options", ()))})
        for f in data["fields"]
    )
    return Form(**{**data, "fields": fields})


def with_form_session(ctx: Context, reply: Reply) -> Reply:
    """The reply with its form's state stored here and replaced by a token."""
    if reply.form is None:
        return reply
    who = ctx.identity
    with ctx.sessions.begin() as session:
        issued = issue_form_session(
            session=session,
            group_id=ctx.group_id,
            platform=who.platform,
            user_id=who.user_id,
            channel_id=who.channel_id,
            parent_channel_id=who.parent_channel_id,
            form_id=reply.form.form_id,
            state=reply.form.state,
            definition=form_to_json(replace(reply.form, state="")),
            now=ctx.now,
        )
        token = issued.token
    return replace(reply, form=replace(reply.form, state=token))


def open_form_session(
    sessions: SessionFactory, identity: Identity, form_id: str, token: str, *, now: datetime
) -> FormSession | Reply:
    """The stored form for a submission, or the private answer that refuses it."""
    with sessions() as session:
        found = find_form_session(session=session, token=token) if token else None
    if found is None or found.form_id != form_id:
        return refusal("This form is not one I handed out, or it is too old. Open it again.")
    if (found.platform, found.user_id) != identity.person:
        return refusal("This form was opened by someone else: open your own to fill it in.")
    if found.submitted_at is not None:
        return already_submitted()
    if found.expires_at <= now:
        return refusal("This form has expired (forms last a day). Open it again.")
    return found


def submitted_from(identity: Identity, found: FormSession) -> Identity:
    """The person submitting, placed in the channel the form was opened in."""
    return replace(identity, channel_id=found.channel_id, parent_channel_id=found.parent_channel_id)


def stored_form(found: FormSession) -> Form:
    """The form as handed out (with its token), to show again with a submission's problems."""
    return replace(form_from_json(found.definition), state=found.token)


def opened_in_another_group() -> Reply:
    return refusal(
        "This form was opened in another working group than the one your workspace is in now: "
        "nothing was saved. Open it again here."
    )


def already_submitted() -> Reply:
    return refusal("This form was already submitted; nothing was saved a second time.")


def refusal(message: str) -> Reply:
    return Reply(private=True, parts=(Paragraph(text(message)),), summary=message)
