"""Reply -> the view of a person's Home tab (``views.publish``), within a view's limits."""

from __future__ import annotations

from typing import Any

from bot.slack.limits import MAX_VIEW_BLOCKS
from bot.slack.render import blocks
from commands.reply import Reply

HOME_CALLBACK_ID = "home"


def home_view(reply: Reply) -> dict[str, Any]:
    """The Home tab showing ``reply``: its blocks cut to the view's 100, as messages are to 50."""
    return {
        "type": "home",
        "callback_id": HOME_CALLBACK_ID,
        "blocks": blocks(reply, max_blocks=MAX_VIEW_BLOCKS),
    }
