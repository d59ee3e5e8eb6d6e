"""Forms as the core keeps them: a token in the client's hands, the state in the database."""

from __future__ import annotations

from storage.db import SessionFactory
from storage.form_sessions import find_form_session


def stored_state(sessions: SessionFactory, token: str) -> str:
    """The state a command gave its form, as stored under the token the client holds."""
    with sessions() as session:
        found = find_form_session(session=session, token=token)
        assert found is not None, f"no form session for token {token!r}"
        return found.state
