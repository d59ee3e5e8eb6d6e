"""Opening a reply's form as a Slack modal, and what to say when Slack no longer allows it."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import render
from commands.reply import Form, Paragraph, Reply, text

log = logging.getLogger(__name__)

# A trigger id is valid for 3 s after the person acted; work that took longer cannot open a form.
EXPIRED_TRIGGER = "expired_trigger_id"
TOO_LATE = "The form took too long to prepare and Slack no longer lets it open. {again}"
PRESS_AGAIN = "Press the button again to open it."
SHORTCUT_AGAIN = "Use the shortcut again to open it."


def too_late(again: str) -> Reply:
    return Reply(parts=(Paragraph(text(TOO_LATE.format(again=again))),), private=True)


async def open_modal(
    client: AsyncWebClient, trigger_id: str, form: Form, metadata: dict[str, Any]
) -> bool:
    """Open ``form``; False when its trigger expired (every other refusal is an error)."""
    # Only the form's token travels: the core keeps its state and channel.
    view = render.modal(form, private_metadata={"state": form.state, **metadata})
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        if error.response.get("error") != EXPIRED_TRIGGER:
            raise
        log.info("form not opened: its trigger expired while the answer was prepared")
        return False
    return True
