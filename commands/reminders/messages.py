"""What reminders say: neutral replies built from the event as it is when they go out."""

from __future__ import annotations

from datetime import datetime

from commands.events.leads import describe_lead
from commands.reply import Actions, Bold, Button, Paragraph, Reply, Text, When, text
from storage.events import missing_regions
from storage.models import Event, Region, Reminder

CALENDAR_ACTION = "events.calendar"
DELIVERED_ACTION = "deadline.delivered"
# What coordinators should check when a reminder could not be delivered and its sender
# has nothing more precise to say.
FAILURE_HINT = "Check that the bot can still post in that conversation."


def when(event: Event) -> When:
    return When(event.starts_at, event.timezone, event.date_precision)


def kind_word(event: Event) -> str:
    return event.kind.capitalize()


def names(regions: list[Region]) -> str:
    return ", ".join(r.name for r in regions) or "none"


def buttons(event: Event, *, deliver: bool = True) -> Actions:
    found = [Button("Add to calendar", CALENDAR_ACTION, value=str(event.id))]
    if event.kind == "deadline" and deliver:
        found.insert(
            0, Button("Mark delivered", DELIVERED_ACTION, value=str(event.id), style="primary")
        )
    return Actions(tuple(found))


def late_note(reminder: Reminder, timezone: str) -> Text:
    return text(
        "Sent late: this reminder was due ",
        When(reminder.due_at, timezone),
        " while the bot could not send it.",
    )


def _place_line(event: Event) -> Text:
    pieces: list = []
    if event.place:
        pieces += [Bold("Where: "), event.place]
    if event.pilot is not None:
        pieces += ["   " if pieces else "", Bold("Pilot action: "), event.pilot.name]
    return tuple(pieces)


def lead_reminder(event: Event, reminder: Reminder, *, late: bool) -> Reply:
    minutes = int(reminder.payload.get("lead_minutes", 0))
    if event.kind == "deadline":
        return _deadline_reminder(event, reminder, minutes, late=late)
    timing = "starts now" if minutes == 0 else f"starts {describe_lead(minutes)}"
    parts: list = [
        Paragraph(
            text(
                f"{kind_word(event)} {event.ref} ",
                Bold(event.title),
                f" {timing}: ",
                when(event),
                ".",
            )
        ),
    ]
    if _place_line(event):
        parts.append(Paragraph(_place_line(event)))
    parts.append(buttons(event))
    return Reply(
        heading=f"Reminder: {event.title}",
        parts=tuple(parts),
        footnote=late_note(reminder, event.timezone) if late else None,
        summary=f"Reminder: {event.title} {timing}.",
    )


def _deadline_reminder(event: Event, reminder: Reminder, minutes: int, *, late: bool) -> Reply:
    missing = missing_regions(event)
    timing = "is due now" if minutes == 0 else f"is due {describe_lead(minutes)}"
    parts: list = [
        Paragraph(
            text("Deadline ", event.ref, " ", Bold(event.title), f" {timing}: ", when(event), ".")
        ),
    ]
    if missing:
        delivered = [d.region for d in event.deliveries]
        line: list = [Bold("Still missing: "), names(missing)]
        if delivered:
            line += ["   ", Bold("Delivered: "), names(sorted(delivered, key=lambda r: r.name))]
        parts.append(Paragraph(tuple(line)))
    else:
        parts.append(Paragraph(text("Every region has delivered. Thank you!")))
    parts.append(buttons(event, deliver=bool(missing)))
    return Reply(
        heading=f"Deadline: {event.title}",
        parts=tuple(parts),
        footnote=late_note(reminder, event.timezone) if late else None,
        summary=f"Deadline {event.title} {timing}.",
    )


def direct_reminder(
    event: Event, region: Region, reminder: Reminder, *, now: datetime, late: bool
) -> Reply:
    """A DM to a member of a region that has not delivered yet."""
    if event.starts_at > now:
        minutes = int(reminder.payload.get("lead_minutes", 0))
        timing = "is due now" if minutes == 0 else f"is due {describe_lead(minutes)}"
        opening = text(
            "Deadline ", event.ref, " ", Bold(event.title), f" {timing}: ", when(event), "."
        )
    else:
        opening = text(
            "Deadline ", event.ref, " ", Bold(event.title), " was due ", when(event), "."
        )
    return Reply(
        heading=f"{region.name}: {event.title}",
        parts=(
            Paragraph(opening),
            Paragraph(
                text(
                    f"{region.name} has not delivered yet. When it has, press the button or type ",
                    Bold(f"/deadline done {event.ref}"),
                    "; the reminders then stop.",
                )
            ),
            buttons(event),
        ),
        footnote=late_note(reminder, event.timezone) if late else None,
        summary=f"{region.name} has not delivered {event.title} yet.",
    )


def moved_notice(event: Event, previous: datetime) -> Reply:
    return Reply(
        heading=f"Moved: {event.title}",
        parts=(
            Paragraph(
                text(
                    f"{kind_word(event)} {event.ref} ",
                    Bold(event.title),
                    " is now ",
                    when(event),
                    " (was ",
                    When(previous, event.timezone),
                    "). Its reminders follow the new time.",
                )
            ),
            buttons(event),
        ),
        summary=f"{event.title} moved.",
    )


def cancelled_notice(event: Event) -> Reply:
    return Reply(
        heading=f"Cancelled: {event.title}",
        parts=(
            Paragraph(
                text(
                    f"{kind_word(event)} {event.ref} ",
                    Bold(event.title),
                    " on ",
                    when(event),
                    " is cancelled. Its reminders are withdrawn.",
                )
            ),
        ),
        summary=f"Cancelled: {event.title}.",
    )


def failure_notice(payload: dict, event: Event | None, hint: str = "") -> Reply:
    what = f"{kind_word(event)} {event.ref} {event.title}" if event is not None else "a message"
    return Reply(
        heading="A reminder could not be delivered",
        parts=(
            Paragraph(
                text(
                    f"The reminder for {what} to {payload.get('target', 'its channel')} failed: ",
                    str(payload.get("reason", "unknown error")),
                    ".",
                )
            ),
            Paragraph(
                text(
                    "It was due ",
                    When(datetime.fromisoformat(payload["due_at"]), "UTC"),
                    ". ",
                    hint or FAILURE_HINT,
                )
            ),
        ),
        summary=f"A reminder for {what} could not be delivered.",
    )
