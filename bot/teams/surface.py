"""What Teams can do for a command, as the facts commands read from their context."""

from __future__ import annotations

from commands.surface import Surface

# A bot cannot hand out files in Teams without SharePoint consent flows (images aside).
# Without resource-specific consent a Teams bot receives only the channel messages that
# mention it, and it posts into the conversation it was addressed in: in a channel, a thread.
TEAMS_SURFACE = Surface(
    files=False,
    hears_channel=False,
    posts_where_addressed=True,
    own_timezone="the time zone of your Teams app",
)
