"""Benchmark files waiting for their sender's "Import" click, kept in the database so that any
web process can carry the click out."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import BenchmarkUpload
from storage.once import add_once


def save_upload(
    *,
    session: Session,
    group_id: int,
    source_ref: str,
    platform: str,
    user_id: str,
    filename: str,
    content: bytes,
    region_id: int | None,
    edition_label: str | None,
    edition_year: int | None,
    replace: bool,
) -> BenchmarkUpload | None:
    """Keep an upload; None when this message's file was already received (a redelivery)."""
    upload = BenchmarkUpload(
        group_id=group_id,
        token=secrets.token_urlsafe(16),
        source_ref=source_ref[:255],
        platform=platform,
        user_id=user_id,
        filename=filename[:255],
        content=content,
        region_id=region_id,
        edition_label=edition_label,
        edition_year=edition_year,
        replace=replace,
    )
    return upload if add_once(session, upload) else None


def find_upload(*, session: Session, group_id: int, token: str) -> BenchmarkUpload | None:
    return session.scalar(
        select(BenchmarkUpload).where(
            BenchmarkUpload.group_id == group_id, BenchmarkUpload.token == token
        )
    )


def claim_upload(*, session: Session, upload_id: int, status: str, now: datetime) -> bool:
    """Move a pending upload to ``status``; False when someone else decided it first.

    The file itself is dropped: once decided it is never read again.
    """
    claimed = session.execute(
        update(BenchmarkUpload)
        .where(BenchmarkUpload.id == upload_id, BenchmarkUpload.status == "pending")
        .values(status=status, decided_at=now, content=b"")
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1
