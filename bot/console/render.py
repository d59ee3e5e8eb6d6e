"""Reply -> terminal text."""

from __future__ import annotations

from collections.abc import Sequence

from commands.reply import (
    Actions,
    Bold,
    Code,
    Divider,
    Fields,
    Inline,
    Link,
    Paragraph,
    Reply,
    Table,
    Text,
    UserRef,
    When,
    format_when,
)


def render_inline(piece: Inline) -> str:
    match piece:
        case str():
            return piece
        case Bold() | Code():
            return piece.text
        case Link():
            return f"{piece.text} <{piece.url}>"
        case UserRef():
            return "@" + (piece.fallback or piece.user_id)
        case When():
            return format_when(piece)
    raise TypeError(f"cannot render {piece!r}")


def render_text(value: Text) -> str:
    return "".join(render_inline(piece) for piece in value)


def render_table(table: Table) -> list[str]:
    header = [c.title for c in table.columns]
    widths = [len(h) for h in header]
    for row in table.rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for cell, width, column in zip(cells, widths, table.columns, strict=True):
            out.append(cell.rjust(width) if column.align == "right" else cell.ljust(width))
        return "  ".join(out).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in table.rows)]


def render_fields(fields: Fields) -> list[str]:
    width = max((len(f.label) for f in fields.items), default=0)
    return [f"{f.label.ljust(width)}  {render_text(f.value)}" for f in fields.items]


def render(reply: Reply) -> str:
    lines: list[str] = []
    if reply.heading:
        lines += [reply.heading, "=" * len(reply.heading)]
    for part in reply.parts:
        match part:
            case Paragraph():
                lines.append(render_text(part.text))
                if part.button:
                    lines.append(f"  [{part.button.label}]")
            case Fields():
                lines += render_fields(part)
            case Table():
                lines += render_table(part)
            case Actions():
                lines.append("  ".join(f"[{b.label}]" for b in part.buttons))
            case Divider():
                lines.append("-" * 40)
    if reply.form and not reply.parts:
        lines.append(f"({reply.form.title}: this opens a form in Slack.)")
    if reply.footnote:
        lines += ["", "Note: " + render_text(reply.footnote)]
    return "\n".join(lines)
