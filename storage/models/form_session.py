"""Forms the bot handed out, kept on the server: a client only ever holds the token.

A form's state (which record it edits, which message it logs) and the person and channel it
was opened for never travel through the client, where they could be changed (Teams cards
send their data back as the client has it). A token is used up by the submission that
succeeds, in the same transaction as the work, so a resubmission cannot do the work twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.teams import CONVERSATION_ID_LENGTH


class FormSession(Base):
    __tablename__ = "form_session"
    __table_args__ = (Index("ix_form_session_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(128))
    # Where the form was opened: its answer goes there.
    channel_id: Mapped[str | None] = mapped_column(String(CONVERSATION_ID_LENGTH))
    parent_channel_id: Mapped[str | None] = mapped_column(String(CONVERSATION_ID_LENGTH))
    form_id: Mapped[str] = mapped_column(String(64))
    # What the command that made the form needs back (the record it edits, the message it logs).
    state: Mapped[str] = mapped_column(Text, default="")
    # The form itself, to show it again with the problems of a submission next to its fields.
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
