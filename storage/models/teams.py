"""Microsoft Teams bookkeeping: where the bot can speak later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow

# Teams conversation ids: "19:…@thread.tacv2;messageid=…" for a channel thread, "a:1…" (well
# over 100 characters) for a personal chat. The Bot Framework caps nothing; 512 is ample.
CONVERSATION_ID_LENGTH = 512


class TeamsConversation(Base):
    """A conversation reference, saved whenever the bot is addressed or installed.

    Proactive messages (reminders) need the reference's service URL, conversation and bot
    account; a bot cannot write into a Teams conversation before it has heard from it.
    """

    __tablename__ = "teams_conversation"

    conversation_id: Mapped[str] = mapped_column(String(CONVERSATION_ID_LENGTH), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    tenant_id: Mapped[str | None] = mapped_column(String(128))
    service_url: Mapped[str] = mapped_column(String(500))
    # "personal", "channel" or "groupChat", as Teams names them.
    conversation_type: Mapped[str | None] = mapped_column(String(32))
    # The AAD object id of the person in a personal chat, so a message can go to them privately.
    personal_user_id: Mapped[str | None] = mapped_column(String(128), index=True)
    # ConversationReference as the SDK serialises it (camelCase JSON).
    reference: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
