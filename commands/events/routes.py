"""The calendar addresses the bot serves: the group's feed and one event's file."""

from __future__ import annotations

from commands.events.calendar import calendar_for_token, event_calendar_for_link
from commands.routes import Route, WebRequest, WebResponse, not_found

FEED_PATH = "/calendar/{token:[A-Za-z0-9_-]{8,128}}.ics"
EVENT_PATH = "/calendar/event/{event_id:[0-9]{1,12}}-{signature:[0-9a-f]{32}}.ics"


def feed(request: WebRequest) -> WebResponse:
    """The group's events as iCalendar; the token in the address is the group's secret."""
    content = calendar_for_token(request.sessions, request.params["token"], now=request.now)
    return _calendar(content, 'inline; filename="chemclust.ics"')


def event_file(request: WebRequest) -> WebResponse:
    """One event's calendar file, behind the signed address "Add to calendar" hands out."""
    content = event_calendar_for_link(
        request.sessions,
        request.params["event_id"],
        request.params["signature"],
        now=request.now,
    )
    return _calendar(content, 'attachment; filename="event.ics"')


def _calendar(content: bytes | None, disposition: str) -> WebResponse:
    if content is None:
        # Unknown or rotated: say nothing more, so addresses cannot be probed.
        return not_found("calendar")
    return WebResponse(
        content,
        content_type="text/calendar",
        headers={"Cache-Control": "private, max-age=300", "Content-Disposition": disposition},
    )


ROUTES = (
    Route(FEED_PATH, feed, what="calendar"),
    Route(EVENT_PATH, event_file, what="calendar"),
)
