"""Teams conversation references, upserted: where the bot can write later."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from storage.groups import default_group
from storage.models import TeamsConversation
from storage.teams import (
    get_conversation,
    personal_conversation,
    save_conversation,
)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _save(session, conversation_id: str, **changes):
    fields = {
        "conversation_id": conversation_id,
        "group_id": default_group(session=session).id,
        "tenant_id": "tenant-0001",
        "service_url": "https://smba.trafficmanager.net/emea/",
        "conversation_type": "channel",
        "personal_user_id": None,
        "reference": {"conversation": {"id": conversation_id}},
    }
    return save_conversation(session=session, **{**fields, **changes})


def test_a_reference_is_saved_then_refreshed_in_place(sessions):
    with sessions.begin() as session:
        _save(session, "19:a@thread.tacv2")
    with sessions.begin() as session:
        _save(session, "19:a@thread.tacv2", service_url="https://smba.example/amer/")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(TeamsConversation)) == 1
        row = get_conversation(session=session, conversation_id="19:a@thread.tacv2")
        assert row.service_url == "https://smba.example/amer/"
        assert row.reference == {"conversation": {"id": "19:a@thread.tacv2"}}
        assert row.updated_at.tzinfo is not None
        assert get_conversation(session=session, conversation_id="19:missing") is None


def test_a_long_personal_conversation_id_fits_and_is_found_by_person(sessions):
    personal_id = "a:1" + "x" * 300
    with sessions.begin() as session:
        _save(session, personal_id, conversation_type="personal", personal_user_id="aad-1")
        _save(session, "19:channel@thread.tacv2")
    with sessions() as session:
        assert personal_conversation(session=session, user_id="aad-1").conversation_id == (
            personal_id
        )
        assert personal_conversation(session=session, user_id="aad-2") is None
