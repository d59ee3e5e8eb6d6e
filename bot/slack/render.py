"""Reply -> Block Kit message or modal, always within Slack's limits."""

from __future__ import annotations

import json
from typing import Any

from bot.markup import clip_text, equal_cap, paragraph_pieces
from bot.slack.limits import (
    MAX_ACTIONS_ELEMENTS,
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_FALLBACK_TEXT,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    Block,
    Shrink,
    Unit,
    clip,
    fit,
    text_size,
)
from bot.slack.mrkdwn import escape, inline
from commands.reply import (
    Actions,
    Button,
    Divider,
    Field,
    Fields,
    Form,
    FormField,
    Paragraph,
    Reply,
    Table,
    plain,
)

# Rows per table block: small enough that cutting to the limits loses little.
TABLE_ROWS_PER_BLOCK = 20
# A field cut shorter than this shows too little of its list to be worth showing.
MIN_FIELD_SHARE = 40
MAX_TABLE_CELL = 200
FORM_CALLBACK_PREFIX = "form:"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(button: Button, index: int | None = None) -> Block:
    # action_id must be unique within a block, so repeated actions get a "#n" suffix.
    action_id = button.action_id if index is None else f"{button.action_id}#{index}"
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(button.label, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
    }
    if button.value:
        element["value"] = button.value[:MAX_BUTTON_VALUE]
    if button.url:
        element["url"] = button.url
    if button.style in {"primary", "danger"}:
        element["style"] = button.style
    return element


def _paragraph(part: Paragraph) -> list[Unit]:
    """Sections of the paragraph, split between lines or words, each clipped when only part
    of it fits; the button goes with the last."""

    def section(rendered: str, last: bool) -> Block:
        block = _section(rendered or " ")
        if last and part.button:
            block["accessory"] = _button(part.button)
        return block

    pieces = paragraph_pieces(
        part.text, inline, MAX_SECTION_TEXT, build=section, cost=lambda b: text_size([b])
    )
    return [Unit(piece.shown, piece.items, piece.shrink) for piece in pieces]


def _field_text(field: Field, limit: int) -> str:
    """A field within ``limit``; a long list of people ends "…and N more"."""
    label = f"*{escape(field.label)}*\n"
    return label + clip_text(field.value, inline, limit - len(label))


def _fields_block(fields: list[Field], limit: int | list[int]) -> Block:
    limits = limit if isinstance(limit, list) else [limit] * len(fields)
    texts = [
        {"type": "mrkdwn", "text": _field_text(f, n)} for f, n in zip(fields, limits, strict=True)
    ]
    return {"type": "section", "fields": texts}


def _fields(part: Fields) -> list[Unit]:
    units = []
    items = list(part.items)
    for start in range(0, len(items), MAX_FIELDS):
        chunk = items[start : start + MAX_FIELDS]

        def shrink(budget: int, chunk: list[Field] = chunk) -> tuple[Block, int] | None:
            # Every field keeps a share: the short ones whole, the long ones cut to the same
            # length, so that each region of /chemclust who still shows its first people.
            sizes = [len(_field_text(f, MAX_FIELD_TEXT)) for f in chunk]
            cap = equal_cap(sizes, budget)
            block = _fields_block(chunk, [min(size, cap) for size in sizes])
            return (block, 0) if cap >= MIN_FIELD_SHARE and text_size([block]) <= budget else None

        units.append(Unit(_fields_block(chunk, MAX_FIELD_TEXT), items=len(chunk), shrink=shrink))
    return units


def _table_lines(part: Table) -> tuple[str, list[str]]:
    header = [c.title for c in part.columns]
    widths = [len(h) for h in header]
    # One very long cell would widen every row of its column past a section's limit.
    rows = [tuple(clip(cell, MAX_TABLE_CELL) for cell in row) for row in part.rows]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells) -> str:
        out = []
        for cell, width, column in zip(cells, widths, part.columns, strict=True):
            out.append(cell.rjust(width) if column.align == "right" else cell.ljust(width))
        return "  ".join(out).rstrip()

    return line(header), [line(row) for row in rows]


def _table(part: Table) -> list[Unit]:
    header, lines = _table_lines(part)
    chunks: list[list[str]] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and (
            len(chunk) >= TABLE_ROWS_PER_BLOCK
            or len(_table_text(header, [*chunk, line])) > MAX_SECTION_TEXT
        ):
            chunks.append(chunk)
            chunk = []
        chunk.append(line)
    if chunk or not lines:
        chunks.append(chunk)
    return [
        Unit(_section(_table_text(header, rows)), max(len(rows), 1), _fewer_rows(header, rows))
        for rows in chunks
    ]


def _table_text(header: str, rows: list[str]) -> str:
    return "```" + escape("\n".join([header, *rows])) + "```"


def _fewer_rows(header: str, rows: list[str]) -> Shrink:
    def shrink(budget: int) -> tuple[Block, int] | None:
        kept = len(rows)
        while kept and len(_table_text(header, rows[:kept])) > budget:
            kept -= 1
        if not kept:
            return None
        return _section(_table_text(header, rows[:kept])), len(rows) - kept

    return shrink


def _actions(part: Actions) -> list[Unit]:
    buttons = list(part.buttons)
    counts: dict[str, int] = {}
    for b in buttons:
        counts[b.action_id] = counts.get(b.action_id, 0) + 1
    units = []
    for start in range(0, len(buttons), MAX_ACTIONS_ELEMENTS):
        chunk = buttons[start : start + MAX_ACTIONS_ELEMENTS]
        elements = [
            _button(b, index=start + i if counts[b.action_id] > 1 else None)
            for i, b in enumerate(chunk)
        ]
        units.append(Unit({"type": "actions", "elements": elements}, items=len(chunk)))
    return units


def body_units(reply: Reply) -> list[Unit]:
    units: list[Unit] = []
    for part in reply.parts:
        match part:
            case Paragraph():
                units += _paragraph(part)
            case Fields():
                units += _fields(part)
            case Table():
                units += _table(part)
            case Actions():
                units += _actions(part)
            case Divider():
                units.append(Unit({"type": "divider"}, items=0))
    return units


def fallback_text(reply: Reply) -> str:
    """The notification text: the summary, else the heading, else the first paragraph."""
    for shown in (reply.summary, reply.heading):
        if shown:
            return clip_text((shown,), inline, MAX_FALLBACK_TEXT)
    for part in reply.parts:
        if isinstance(part, Paragraph):
            return clip_text((plain(part.text),), inline, MAX_FALLBACK_TEXT)
    return "ChemClust bot"


def blocks(reply: Reply, *, max_blocks: int = MAX_BLOCKS) -> list[Block]:
    head = []
    if reply.heading:
        head.append(
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": clip(reply.heading, MAX_HEADER_TEXT),
                    "emoji": True,
                },
            }
        )
    tail = []
    if reply.footnote:
        note = clip_text(reply.footnote, inline, MAX_SECTION_TEXT)
        tail.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return fit(head, body_units(reply), tail, max_blocks=max_blocks)


def message(reply: Reply) -> dict[str, Any]:
    """``text`` and ``blocks`` for chat.postMessage, a response_url or an ack."""
    return {"text": fallback_text(reply), "blocks": blocks(reply)}


def command_response(reply: Reply) -> dict[str, Any]:
    """An answer to a command (its acknowledgement or a follow-up): rendered once per reply
    object, since commands give the same reply object again while its data is unchanged
    (``/benchmark``'s kept answers). Nothing downstream changes the rendered message."""
    found = _RENDERED.get(id(reply))
    if found is not None and found[0] is reply:  # the same object, not one with its old id
        return dict(found[1])
    rendered = {"response_type": "ephemeral" if reply.private else "in_channel", **message(reply)}
    if reply.files:  # a chart or a workbook is drawn afresh each time: not worth holding
        return rendered
    if len(_RENDERED) >= RENDERED_KEPT:
        _RENDERED.clear()
    _RENDERED[id(reply)] = (reply, rendered)
    return dict(rendered)


# Replies last rendered by ``command_response``, held so that their ids stay theirs.
RENDERED_KEPT = 32
_RENDERED: dict[int, tuple[Reply, dict[str, Any]]] = {}


# Modals -----------------------------------------------------------------------------------

MAX_VIEW_TITLE = 24
MAX_PLACEHOLDER = 150
MAX_OPTION_TEXT = 75
MAX_PRIVATE_METADATA = 3000


def _plain(value: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(value, limit), "emoji": True}


def _form_element(field: FormField) -> Block:
    if field.kind == "select":
        options = [
            {"text": _plain(label, MAX_OPTION_TEXT), "value": value}
            for value, label in field.options[:100]
        ]
        element: Block = {"type": "static_select", "action_id": "value", "options": options}
        initial = next((o for o in options if o["value"] == field.initial), None)
        if initial:
            element["initial_option"] = initial
    else:
        element = {"type": "plain_text_input", "action_id": "value"}
        if field.kind == "multiline":
            element["multiline"] = True
        if field.initial:
            element["initial_value"] = field.initial
        if field.max_length:
            element["max_length"] = field.max_length
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder, MAX_PLACEHOLDER)
    return element


def modal(form: Form, *, private_metadata: dict[str, str]) -> dict[str, Any]:
    metadata = json.dumps(private_metadata)
    if len(metadata) > MAX_PRIVATE_METADATA:
        raise ValueError(f"form state of {len(metadata)} characters does not fit a modal")
    inputs = []
    for field in form.fields[:100]:
        block: Block = {
            "type": "input",
            "block_id": field.name,
            "label": _plain(field.label, 2000),
            "optional": not field.required,
            "element": _form_element(field),
        }
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        inputs.append(block)
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK_PREFIX + form.form_id,
        "title": _plain(form.title, MAX_VIEW_TITLE),
        "submit": _plain(form.submit_label, MAX_VIEW_TITLE),
        "close": _plain("Cancel", MAX_VIEW_TITLE),
        "private_metadata": metadata,
        "blocks": inputs,
    }


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """The submitted values of a modal, by field name, as plain strings."""
    values: dict[str, str] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        element = actions.get("value", {})
        if element.get("type") == "static_select":
            selected = element.get("selected_option") or {}
            values[block_id] = selected.get("value", "")
        else:
            values[block_id] = element.get("value") or ""
    return values
