"""Reply -> Bot Framework message attachments: an Adaptive Card, plus images.

Cards declare version 1.5 (what Teams renders for bots) but are built from elements that
Teams mobile, which stops at 1.2, shows too: TextBlock, FactSet, ColumnSet, ActionSet,
Action.Submit / Action.OpenUrl, Input.Text / Input.ChoiceSet. Every card is fitted to the
size budget in ``bot.teams.limits``.

Files: an image (a chart) goes along as an image attachment with a base64 data URI when it
is small enough; Teams bots cannot hand out other files without SharePoint/OneDrive consent
flows, so the card says which file there is and where to get it (console or Slack).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from bot.teams.limits import (
    MAX_BUTTON_TITLE,
    MAX_CELL,
    MAX_FACT_TITLE,
    MAX_FACT_VALUE,
    MAX_HEADING,
    MAX_TEXT_BLOCK,
    Element,
    Unit,
    clip,
    fit,
    split_lines,
)
from bot.teams.markdown import escape, markdown
from commands.reply import (
    Actions,
    Attachment,
    Button,
    Divider,
    Fields,
    Form,
    FormField,
    Paragraph,
    Reply,
    Table,
    plain,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
FACTS_PER_SET = 10
# Teams shows about six actions in a row; more are cut off on narrow screens.
BUTTONS_PER_SET = 5
# Raw bytes; base64 adds a third. Teams takes inline images up to about 1 MB.
MAX_IMAGE_BYTES = 512 * 1024
# Keys of Action.Submit data: buttons carry the core's action id and value, forms their id and
# token (the core keeps their state), inputs are "field:<name>".
ACTION_ID = "action_id"
ACTION_VALUE = "value"
FORM_ID = "form_id"
FORM_STATE = "form_state"
FIELD_PREFIX = "field:"


@dataclass(frozen=True)
class Message:
    """What one reply becomes in Teams: attachments (the card first) and notification text."""

    attachments: tuple[dict[str, Any], ...]
    summary: str


def _text_block(text: str, **extra: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def _card(body: list[Element], summary: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": summary,
        "msteams": {"width": "Full"},
        "body": body,
    }


def _action(button: Button) -> Element:
    title = clip(button.label, MAX_BUTTON_TITLE)
    if button.url:
        return {"type": "Action.OpenUrl", "title": title, "url": button.url}
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {ACTION_ID: button.action_id, ACTION_VALUE: button.value},
    }


def _action_sets(buttons: list[Button]) -> list[Unit]:
    units = []
    for start in range(0, len(buttons), BUTTONS_PER_SET):
        chunk = buttons[start : start + BUTTONS_PER_SET]
        units.append(
            Unit([{"type": "ActionSet", "actions": [_action(b) for b in chunk]}], len(chunk))
        )
    return units


def _paragraph(part: Paragraph) -> list[Unit]:
    units = [Unit([_text_block(piece)]) for piece in split_lines(markdown(part.text))]
    units = units or [Unit([_text_block(" ")])]
    if part.button:
        units[-1].elements += _action_sets([part.button])[0].elements
    return units


def _fields(part: Fields) -> list[Unit]:
    units = []
    items = list(part.items)
    for start in range(0, len(items), FACTS_PER_SET):
        chunk = items[start : start + FACTS_PER_SET]
        facts = [
            {
                "title": clip(escape(f.label), MAX_FACT_TITLE),
                "value": clip(markdown(f.value, dates=False), MAX_FACT_VALUE),
            }
            for f in chunk
        ]
        units.append(Unit([{"type": "FactSet", "facts": facts}], len(chunk)))
    return units


def _column_weights(part: Table) -> list[int]:
    """Relative column widths from the longest cell, so every row lines up the same."""
    longest = [len(c.title) for c in part.columns]
    for row in part.rows:
        longest = [max(n, len(cell)) for n, cell in zip(longest, row, strict=True)]
    return [min(max(n, 2), 40) for n in longest]


def _row(cells: tuple[str, ...], part: Table, weights: list[int], *, header: bool) -> Element:
    columns = []
    for cell, column, weight in zip(cells, part.columns, weights, strict=True):
        block = _text_block(escape(clip(cell, MAX_CELL)) or " ")
        if column.align == "right":
            block["horizontalAlignment"] = "Right"
        if header:
            block["weight"] = "Bolder"
        columns.append({"type": "Column", "width": weight, "items": [block]})
    return {"type": "ColumnSet", "spacing": "None" if not header else "Small", "columns": columns}


def _table(part: Table) -> list[Unit]:
    weights = _column_weights(part)
    header = Unit([_row(tuple(c.title for c in part.columns), part, weights, header=True)], 0)
    rows = [Unit([_row(row, part, weights, header=False)]) for row in part.rows]
    return [header, *rows]


def body_units(reply: Reply) -> list[Unit]:
    units: list[Unit] = []
    separate_next = False
    for part in reply.parts:
        match part:
            case Paragraph():
                new = _paragraph(part)
            case Fields():
                new = _fields(part)
            case Table():
                new = _table(part)
            case Actions():
                new = _action_sets(list(part.buttons))
            case Divider():
                separate_next = True
                continue
            case _:
                raise TypeError(f"cannot render {part!r}")
        if separate_next and new:
            new[0].elements[0]["separator"] = True
            separate_next = False
        units += new
    return units


def summary_text(reply: Reply) -> str:
    """Notification and fallback text: the summary, else the heading, else the first words."""
    if reply.summary:
        return reply.summary
    if reply.heading:
        return reply.heading
    for part in reply.parts:
        if isinstance(part, Paragraph):
            return clip(plain(part.text), 200)
    return "ChemClust bot"


def _is_sendable_image(attachment: Attachment) -> bool:
    return attachment.mime_type.startswith("image/") and len(attachment.content) <= MAX_IMAGE_BYTES


def _file_note(attachment: Attachment) -> Element:
    kilobytes = max(1, round(len(attachment.content) / 1024))
    return _text_block(
        escape(
            f"📎 {attachment.title or attachment.filename} ({attachment.filename}, "
            f"{kilobytes} KB) cannot be attached in Teams: run the same command in the "
            "console (chemclust-bot console) or in Slack to get the file."
        ),
        size="Small",
        isSubtle=True,
    )


def image_attachment(attachment: Attachment) -> dict[str, Any]:
    data = base64.b64encode(attachment.content).decode("ascii")
    return {
        "contentType": attachment.mime_type,
        "contentUrl": f"data:{attachment.mime_type};base64,{data}",
        "name": attachment.filename,
    }


def card(reply: Reply) -> dict[str, Any]:
    """The Adaptive Card for a reply, within the size budget."""
    summary = summary_text(reply)
    head: list[Element] = []
    if reply.heading:
        head.append(
            _text_block(escape(clip(reply.heading, MAX_HEADING)), size="Large", weight="Bolder")
        )
    tail: list[Element] = [_file_note(f) for f in reply.files if not _is_sendable_image(f)]
    if reply.footnote:
        note = clip(markdown(reply.footnote), MAX_TEXT_BLOCK)
        tail.append(_text_block(note, size="Small", isSubtle=True, separator=True))
    result = _card([], clip(summary, 500))
    fit(result, head, body_units(reply), tail)
    return result


def message(reply: Reply) -> Message:
    """The card (or the form card) and any images, ready to be sent as one activity."""
    content = form_card(reply.form) if reply.form is not None else card(reply)
    attachments = [{"contentType": CARD_CONTENT_TYPE, "content": content}]
    attachments += [image_attachment(f) for f in reply.files if _is_sendable_image(f)]
    return Message(attachments=tuple(attachments), summary=summary_text(reply))


# Forms ------------------------------------------------------------------------------------


def _input(field: FormField, value: str) -> Element:
    element: Element
    if field.kind == "select":
        element = {
            "type": "Input.ChoiceSet",
            "style": "compact",
            "choices": [
                {"title": clip(label, 200), "value": option} for option, label in field.options
            ],
        }
    else:
        element = {"type": "Input.Text"}
        if field.kind == "multiline":
            element["isMultiline"] = True
        if field.kind == "url":
            element["style"] = "Url"
        if field.max_length:
            element["maxLength"] = field.max_length
        if field.placeholder:
            element["placeholder"] = clip(field.placeholder, 150)
    element["id"] = FIELD_PREFIX + field.name
    if value:
        element["value"] = value
    if field.required:
        element["isRequired"] = True  # 1.3+: checked by newer clients, ignored by older ones
    return element


def form_card(
    form: Form, *, errors: dict[str, str] | None = None, values: dict[str, str] | None = None
) -> dict[str, Any]:
    """A form as a card: a label, an input and any error per field, and one submit button.

    Teams has no modals without task modules, so the form is a card in the conversation;
    its submission comes back as an Action.Submit and goes to the same form handler.
    """
    errors = errors or {}
    values = values or {}
    body: list[Element] = [
        _text_block(escape(clip(form.title, MAX_HEADING)), size="Large", weight="Bolder")
    ]
    general = [text for name, text in errors.items() if name not in _names(form)]
    for problem in general:
        body.append(_text_block(escape(problem), color="Attention"))
    for field in form.fields:
        label = field.label + ("" if field.required else " (optional)")
        body.append(_text_block(escape(label), weight="Bolder", spacing="Medium"))
        if field.hint:
            body.append(_text_block(escape(field.hint), size="Small", isSubtle=True))
        body.append(_input(field, values.get(field.name, field.initial)))
        if field.name in errors:
            body.append(_text_block(escape(errors[field.name]), color="Attention", size="Small"))
    result = _card(body, form.title)
    result["actions"] = [
        {
            "type": "Action.Submit",
            "title": clip(form.submit_label, MAX_BUTTON_TITLE),
            "data": {FORM_ID: form.form_id, FORM_STATE: form.state},
        }
    ]
    return result


def form_message(form: Form, *, errors: dict[str, str], values: dict[str, str]) -> Message:
    """The form again, as submitted, with what is wrong next to each field."""
    content = form_card(form, errors=errors, values=values)
    return Message(
        attachments=({"contentType": CARD_CONTENT_TYPE, "content": content},),
        summary=f"{form.title}: please correct the form.",
    )


def _names(form: Form) -> set[str]:
    return {field.name for field in form.fields}


def submitted_values(data: dict[str, Any]) -> dict[str, str]:
    """The inputs of a submitted form card, by field name, as plain strings."""
    return {
        key.removeprefix(FIELD_PREFIX): "" if value is None else str(value)
        for key, value in data.items()
        if key.startswith(FIELD_PREFIX)
    }
