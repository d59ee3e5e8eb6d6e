"""The neutral answer every command returns; adapters render it for their platform.

A reply is built from a few parts (paragraphs, fields, tables, buttons) holding *inline*
pieces. Plain strings are always user-safe text: renderers escape them, so text a user
typed can be echoed without letting them format, link or ping through the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Bold:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class UserRef:
    """A platform user; shown as a mention where the platform has them."""

    user_id: str
    fallback: str = ""


@dataclass(frozen=True)
class When:
    """A moment shown in each reader's own time zone where the platform can do that.

    ``timezone`` is the zone used where it cannot (console, notification text).
    ``precision`` is "minute", "day" or "month".
    """

    at: datetime
    timezone: str = "UTC"
    precision: str = "minute"


Inline = str | Bold | Code | Link | UserRef | When
Text = tuple[Inline, ...]


def text(*pieces: Inline) -> Text:
    return tuple(pieces)


def code_lines(lines: tuple[str, ...] | list[str]) -> Text:
    """Several command forms, one per line, each as code (inline code cannot span lines)."""
    pieces: list[Inline] = []
    for line in lines:
        if pieces:
            pieces.append("\n")
        pieces.append(Code(line))
    return tuple(pieces)


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    url: str | None = None
    style: str | None = None  # "primary" or "danger"


@dataclass(frozen=True)
class Paragraph:
    text: Text
    button: Button | None = None


@dataclass(frozen=True)
class Field:
    label: str
    value: Text


@dataclass(frozen=True)
class Fields:
    items: tuple[Field, ...]


@dataclass(frozen=True)
class Column:
    title: str
    align: str = "left"  # "left" or "right"


@dataclass(frozen=True)
class Table:
    """Rows of plain cells; renderers lay it out in monospace and may cut rows to fit."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Actions:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Divider:
    pass


Part = Paragraph | Fields | Table | Actions | Divider


@dataclass(frozen=True)
class Attachment:
    """A file that goes with the reply: a chart (``image/png``), a workbook, a calendar."""

    filename: str
    content: bytes
    mime_type: str
    title: str = ""


@dataclass(frozen=True)
class Reply:
    heading: str | None = None
    parts: tuple[Part, ...] = ()
    footnote: Text | None = None
    files: tuple[Attachment, ...] = ()
    # Private replies are seen only by the person who asked.
    private: bool = False
    # Plain-text summary for notifications and screen readers; renderers derive one if empty.
    summary: str = ""
    # A form to fill in (a Slack modal); platforms without forms show the parts instead.
    form: Form | None = None
    # What kind of answer this is, for counting: "ok", "refused" (the input was wrong),
    # "unavailable" (the database was away) or "error" (a bug, with an error id).
    outcome: str = "ok"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # "text", "multiline", "select", "url"
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for "select"
    initial: str = ""
    hint: str = ""
    placeholder: str = ""
    max_length: int | None = None


@dataclass(frozen=True)
class Form:
    """Fields to collect; the submission goes to the form handler registered as ``form_id``."""

    form_id: str
    title: str
    fields: tuple[FormField, ...]
    submit_label: str = "Save"
    # Opaque text handed back with the submission (e.g. the record being edited).
    state: str = ""


class FormErrors(Exception):
    """A submission that cannot be accepted; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors
        # The form as it was handed out (set by the core), for platforms that show it again.
        self.form: Form | None = None


def format_when(when: When) -> str:
    """The moment as plain text in its own zone: "Tue 15 Dec 2026, 17:00 CET"."""
    local = when.at.astimezone(ZoneInfo(when.timezone))
    if when.precision == "month":
        return local.strftime("%B %Y")
    if when.precision == "day":
        return local.strftime("%a %d %b %Y")
    return local.strftime("%a %d %b %Y, %H:%M %Z")


def plain(value: Text | str) -> str:
    """The inline pieces as unformatted text, for summaries and logs."""
    if isinstance(value, str):
        return value
    out = []
    for piece in value:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, When):
            out.append(format_when(piece))
        elif isinstance(piece, UserRef):
            out.append(piece.fallback or piece.user_id)
        else:
            out.append(piece.text)
    return "".join(out)
