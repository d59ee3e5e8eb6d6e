"""Replies about events: created, listed, moved, cancelled, delivered, calendar links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from commands.events.drafts import Family
from commands.events.leads import format_leads
from commands.reminders.messages import buttons, kind_word, names, when
from commands.reply import (
    Actions,
    Bold,
    Button,
    Code,
    Field,
    Fields,
    Paragraph,
    Reply,
    Text,
    When,
    plain,
    text,
)
from storage.events import missing_regions
from storage.models import Event

# A list longer than this ends with a count; Slack's limits would cut it anyway.
MAX_LISTED = 25


@dataclass(frozen=True)
class Pages:
    """Which page of a long list is shown (pages of MAX_LISTED) and how long the list is."""

    page: int
    total: int
    command: str  # how to ask for the next page ("/deadline list past"); "" when none is

    @property
    def after(self) -> int:
        """Events listed after this page."""
        return max(0, self.total - self.page * MAX_LISTED)


def _details(event: Event) -> list[Field]:
    fields = [Field("When", text(when(event)))]
    if event.place:
        fields.append(Field("Where", text(event.place)))
    if event.pilot is not None:
        fields.append(Field("Pilot action", text(event.pilot.name)))
    if event.kind == "deadline":
        fields.append(Field("For", text(names(event.regions))))
    fields.append(Field("Reminders", text(format_leads(event.lead_minutes))))
    fields.append(Field("Id", text(Code(event.ref))))
    return fields


def created(event: Event, *, too_late: list[int], assumed_end_of_day: bool) -> Reply:
    parts: list = [Fields(tuple(_details(event)))]
    notes: list[str] = []
    if assumed_end_of_day:
        notes.append("No time was given, so it is due at the end of that day (23:59).")
    if too_late:
        notes.append(f"No {format_leads(too_late)} reminder: that moment has already passed.")
    if notes:
        parts.append(Paragraph(text(" ".join(notes))))
    parts.append(buttons(event, deliver=False))
    return Reply(
        heading=f"New {event.kind}: {event.title}",
        parts=tuple(parts),
        footnote=text(
            "Change it with ",
            Code(f"/{_command(event)} move {event.ref} <when>"),
            " or ",
            Code(f"/{_command(event)} cancel {event.ref}"),
            ".",
        ),
        summary=f"New {event.kind} {event.ref}: {event.title}.",
    )


def _command(event: Event) -> str:
    return "deadline" if event.kind == "deadline" else "workshop"


def _line(event: Event, *, now: datetime) -> Text:
    pieces: list = [Bold(event.ref), "  ", event.title, " — "]
    if event.kind == "deadline":
        pieces += ["due " if event.starts_at > now else "was due ", when(event)]
        missing = missing_regions(event)
        delivered = sorted((d.region for d in event.deliveries), key=lambda r: r.name)
        pieces.append("\n")
        if not missing:
            pieces.append("Every region has delivered.")
        else:
            pieces += [Bold("Missing: "), names(missing)]
            if delivered:
                pieces += ["   ", Bold("Delivered: "), names(delivered)]
    else:
        pieces += [kind_word(event).lower(), ", ", when(event)]
        if event.place:
            pieces += [", ", event.place]
        if event.pilot is not None:
            pieces += [" · pilot: ", event.pilot.name]
    if event.status == "cancelled":
        pieces.append(" (cancelled)")
    return tuple(pieces)


def listing(
    family: Family,
    events: list[Event],
    *,
    now: datetime,
    past: bool,
    overdue: list[Event] | None = None,
    pages: Pages | None = None,
) -> Reply:
    """``events``: the page shown, or every event when ``pages`` is None."""
    pages = pages or Pages(page=1, total=len(events), command="")
    shown = events[:MAX_LISTED]
    parts: list = [Paragraph(_line(e, now=now)) for e in shown]
    if pages.after and not pages.command:
        parts.append(Paragraph(text(f"…and {pages.after} more.")))
    elif pages.after:
        following = Code(f"{pages.command.strip()} {pages.page + 1}")
        parts.append(Paragraph(text(f"…and {pages.after} more: ", following)))
    if overdue:
        parts.append(Paragraph(text(Bold("Passed, regions still being chased:"))))
        parts += [Paragraph(_line(e, now=now)) for e in overdue]
    plural = f"{family.noun}s"
    if not events and not overdue:
        empty = f"No past {plural}." if past else f"No upcoming {plural}."
        if pages.page > 1:
            empty = f"Page {pages.page} is empty: there are {pages.total} in all."
        parts.append(Paragraph(text(empty)))
    hint: list = []
    if past:
        hint = ["Upcoming: ", Code(f"/{family.command} list"), "."]
    else:
        hint = [
            "Add one: ",
            Code(f"/{family.command} add"),
            "   Past: ",
            Code(f"/{family.command} list past"),
            "   Calendar: ",
            Code("/workshop calendar"),
        ]
    parts.append(Paragraph(tuple(hint)))
    heading = f"Past {plural}" if past else f"Upcoming {plural}"
    if family.noun == "workshop":
        heading = heading.replace("workshops", "workshops, seminars and meetings")
    return Reply(heading=heading, parts=tuple(parts), private=True, summary=heading)


def moved(event: Event, previous: datetime, *, too_late: list[int], announced: bool) -> Reply:
    notes = [
        f"{kind_word(event)} {event.ref} ",
        Bold(event.title),
        " moved to ",
        when(event),
        " (was ",
        When(previous, event.timezone),
        "). Reminders were recomputed.",
    ]
    if too_late:
        notes.append(f" No {format_leads(too_late)} reminder: that moment has already passed.")
    if announced:
        notes.append(" A notice goes to the event's channel.")
    return Reply(parts=(Paragraph(tuple(notes)),), private=True, summary=f"{event.ref} moved.")


def cancelled(event: Event, *, withdrawn: int, announced: bool) -> Reply:
    message = [
        f"{kind_word(event)} {event.ref} ",
        Bold(event.title),
        f" is cancelled; {withdrawn} pending reminder(s) withdrawn.",
    ]
    if announced:
        message.append(" A notice goes to the event's channel.")
    return Reply(
        parts=(Paragraph(tuple(message)),), private=True, summary=f"{event.ref} cancelled."
    )


def delivered(event: Event, region_name: str) -> Reply:
    missing = missing_regions(event)
    follow = (
        text("Every region has delivered. Thank you!")
        if not missing
        else text(Bold("Still missing: "), names(missing))
    )
    return Reply(
        parts=(
            Paragraph(
                text(
                    Bold(region_name),
                    " has delivered for deadline ",
                    event.ref,
                    " ",
                    Bold(event.title),
                    ". Reminders for ",
                    region_name,
                    " stop.",
                )
            ),
            Paragraph(follow),
        ),
        summary=f"{region_name} has delivered {event.title}.",
    )


def calendar_link(url: str | None, token_path: str, *, rotated: bool = False) -> Reply:
    if url:
        link_line = text(
            "Subscribe in your calendar app (Outlook, Google, Apple) with this address: ",
            Code(url),
        )
    else:
        link_line = text(
            "The bot's public address is not configured (PUBLIC_URL), so I cannot give a full "
            "link; the calendar is at ",
            Code(token_path),
            " on the bot's web address.",
        )
    parts: list = [Paragraph(link_line)]
    if rotated:
        parts.append(Paragraph(text("The previous address no longer works.")))
    else:
        parts.append(
            Paragraph(
                text(
                    "The file attached is today's copy. The address is a secret of the group; "
                    "a coordinator can replace it with ",
                    Code("/workshop calendar rotate"),
                    ".",
                )
            )
        )
    return Reply(
        heading="Calendar of the working group",
        parts=tuple(parts),
        private=True,
        summary="The working group's calendar.",
    )


def event_calendar_link(event: Event, url: str | None, path: str) -> Reply:
    """ "Add to calendar" where files cannot be sent: the event's calendar file as a link."""
    if url is None:
        message = text(
            "This platform cannot take files from the bot, and the bot's public address is not "
            "configured (PUBLIC_URL), so there is no link to give. The event's calendar file is "
            "at ",
            Code(path),
            " on the bot's web address; a coordinator can set PUBLIC_URL.",
        )
        return Reply(private=True, parts=(Paragraph(message),), summary=plain(message))
    return Reply(
        private=True,
        parts=(
            Paragraph(text("Open the link to add ", event.title, " to your calendar.")),
            Actions((Button("Add to calendar", "events.calendar.open", url=url),)),
        ),
        summary=f"{event.title}: calendar file at {url}",
    )
