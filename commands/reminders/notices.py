"""Notices other features post through the reminder rows: what to say is looked up by name.

A feature (the benchmark's edition announcement, say) registers how to render its notice;
the dispatcher sends it like every other row — claimed, sent once, retried, and failures
reported — without the reminders package knowing the feature.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from commands.reply import Reply
from storage.events import coordinators
from storage.group_channels import group_channels
from storage.models import Reminder
from storage.reminders import add_once

# (session, group id, payload) -> the message, or None when there is nothing left to say.
NoticeRenderer = Callable[[Session, int, dict], Reply | None]

_renderers: dict[str, NoticeRenderer] = {}


def register_notice(name: str, render: NoticeRenderer) -> None:
    _renderers[name] = render


def render_notice(name: str | None, session: Session, group_id: int, payload: dict) -> Reply | None:
    render = _renderers.get(name or "")
    return None if render is None else render(session, group_id, payload)


def tell_coordinators(
    *,
    session: Session,
    group_id: int,
    platform: str,
    notice: str,
    payload: dict,
    key: str,
    now: datetime,
) -> int:
    """One notice row per coordinator of the group on ``platform``, a direct message due now,
    in the caller's transaction. Returns how many rows were added."""
    members = coordinators(session=session, group_id=group_id, platform=platform)
    return _add_notices(
        session,
        group_id,
        [(m.platform, m.conversation, f"{m.platform}:{m.platform_user_id}") for m in members],
        notice=notice,
        payload=payload,
        key=key,
        now=now,
    )


# (session, row, now=, late=) -> (reply, why skipped), for rows a feature owns.
RowDecider = Callable[..., tuple[Reply | None, str | None]]
_owners: dict[str, RowDecider] = {}


def register_row_owner(payload_key: str, decide: RowDecider) -> None:
    """Rows whose payload carries ``payload_key`` are decided by ``decide``, not as events'."""
    _owners[payload_key] = decide


def decide_owned(
    session: Session, reminder: Reminder, *, now: datetime, late: bool
) -> tuple[Reply | None, str | None] | None:
    payload = reminder.payload or {}
    for key, decide in _owners.items():
        if payload.get(key) is not None:
            return decide(session, reminder, now=now, late=late)
    return None


def post_to_group_channels(
    *, session: Session, group_id: int, notice: str, payload: dict, key: str, now: datetime
) -> int:
    """One notice row per channel the group has set (one per platform), due now; the rows
    join the caller's transaction, so a change that rolls back posts nothing. ``key`` makes
    each row exist once. Returns how many rows were added."""
    channels = group_channels(session=session, group_id=group_id)
    return _add_notices(
        session,
        group_id,
        [(c.platform, c.conversation, c.platform) for c in channels],
        notice=notice,
        payload=payload,
        key=key,
        now=now,
    )


def _add_notices(
    session: Session,
    group_id: int,
    targets: list[tuple[str, dict, str]],
    *,
    notice: str,
    payload: dict,
    key: str,
    now: datetime,
) -> int:
    """A notice row due now per (platform, conversation, what makes it one of a kind)."""
    added = 0
    for platform, conversation, each in targets:
        row = Reminder(
            group_id=group_id,
            event_id=None,
            kind="notice",
            due_at=now,
            not_before=now,
            platform=platform,
            target=conversation,
            payload={**payload, "notice": notice},
            dedupe_key=f"{notice}:{key}:{each}"[:200],
        )
        if add_once(session=session, reminder=row) is not None:
            added += 1
    return added
