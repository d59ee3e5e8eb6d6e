"""``/chemclust audit``: who changed what, for coordinators, newest first, narrowed by filters.

Filters combine: ``<entity> <id>`` (``deadline D3``, ``practice 12``, ``edition 2012 update``),
``@person`` (what they did, and what was done to their membership) and ``since <date>``.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.reply import Bold, Code, Paragraph, Reply, Text, When, text
from storage.audit_log import AuditFilter, latest_entries
from storage.models import EVENT_KINDS, AuditEntry

USAGE = (
    "/chemclust audit",
    "/chemclust audit <entity> <id>   e.g. deadline D3, practice 12, edition 2012 update",
    "/chemclust audit @person",
    "/chemclust audit since <date>   e.g. since 2026-11-01 or since 01/11/2026",
)
SHOWN = 20
# What people may type for an entity, and the names it is stored under.
ENTITIES: dict[str, tuple[str, ...]] = {
    "event": EVENT_KINDS,
    **{kind: (kind,) for kind in EVENT_KINDS},
    "practice": ("practice",),
    "edition": ("edition",),
    "member": ("member",),
    "update": ("update",),
    "milestone": ("milestone",),
    "channel": ("channel",),
    "pilot-link": ("pilot-link",),
    "calendar": ("calendar",),
}
_SINCE = re.compile(r"(?:^|\s)since\s+(\S+)", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
# A changed field's value is shown up to this length; the export has it whole.
VALUE_LENGTH = 80
FIGURES_SHOWN = 5


def audit(ctx: Context, arguments: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only coordinators can read the audit trail.")
    wanted, described = parse_filters(ctx, arguments)
    with ctx.sessions() as session:
        entries, total = latest_entries(
            session=session, group_id=ctx.group_id, wanted=wanted, limit=SHOWN
        )
    heading = "Audit trail" + (f": {described}" if described else "")
    if not entries:
        return Reply(
            heading=heading,
            private=True,
            parts=(
                Paragraph(text("No change is recorded" + (" that fits." if described else "."))),
            ),
            summary="No change recorded.",
        )
    parts = tuple(Paragraph(entry_text(entry, ctx.timezone)) for entry in entries)
    shown = f"The latest {len(entries)} of {total} changes" if total > len(entries) else None
    footnote = text(
        f"{shown}; narrow them with " if shown else "Narrow the list with ",
        Code("<entity> <id>"),
        ", ",
        Code("@person"),
        " or ",
        Code("since <date>"),
        ". Times in ",
        ctx.timezone,
        " where your platform cannot show yours; the export has every change of the group: ",
        Code(f"chemclust-bot export audit --group {ctx.group_slug} --out audit.xlsx"),
        ".",
    )
    return Reply(
        heading=heading,
        parts=parts,
        footnote=footnote,
        private=True,
        summary=f"{total} recorded change{'s' if total != 1 else ''}.",
    )


def parse_filters(ctx: Context, arguments: str) -> tuple[AuditFilter, str]:
    """The filter the words ask for, and how to say it in the heading; wrong words refused."""
    rest, described = arguments.strip(), []
    person = None
    for mention in ctx.mentions:
        if mention.written in rest:
            if person is not None:
                raise CommandError("Name one person at a time.", usage="\n".join(USAGE))
            rest = rest.replace(mention.written, " ", 1)
            person = (ctx.identity.platform, mention.id)
            described.append(mention.written)
    if "@" in rest:
        raise CommandError(
            f"“{rest.strip()}” is not a person I can recognise; mention them with @ "
            "(choose them from the list that opens as you type).",
            usage="\n".join(USAGE),
        )
    since = None
    found = _SINCE.search(rest)
    if found:
        since = _day_start(found.group(1), ctx.timezone)
        rest = rest[: found.start()] + " " + rest[found.end() :]
        described.append(f"since {found.group(1)}")
    elif re.search(r"(?:^|\s)since\s*$", rest, re.IGNORECASE):
        raise CommandError("Say since when, as a date.", usage="\n".join(USAGE))
    entities, entity_id = (), None
    words = rest.split()
    if words:
        entities = ENTITIES.get(words[0].lower(), ())
        if not entities:
            raise CommandError(
                f"The audit trail has no entity “{words[0]}”. It knows: "
                + ", ".join(ENTITIES)
                + ".",
                usage="\n".join(USAGE),
            )
        entity_id = " ".join(words[1:]) or None
        described.insert(0, " ".join(words))
    wanted = AuditFilter(entities=entities, entity_id=entity_id, person=person, since=since)
    return wanted, ", ".join(described)


def _day_start(typed: str, zone: str) -> datetime:
    for pattern in _DATE_FORMATS:
        try:
            day = datetime.strptime(typed, pattern).date()
        except ValueError:
            continue
        return datetime.combine(day, time(0), ZoneInfo(zone))
    raise CommandError(
        f"“{typed}” is not a date I can read after “since”: write it as 2026-11-01 "
        "(or 01/11/2026, day first).",
        usage="\n".join(USAGE),
    )


def entry_text(entry: AuditEntry, zone: str) -> Text:
    """One change: when, who, what, and each field from before to after."""
    who = entry.actor_name or entry.actor_user_id
    if entry.actor_region:
        who += f" ({entry.actor_region})"
    pieces: list = [When(entry.at, zone), " · ", who, " · ", Bold(f"{entry.action}"), " "]
    pieces.append(f"{entry.entity} {entry.entity_id}")
    for line in change_lines(entry.before, entry.after):
        pieces.extend(("\n", line))
    return tuple(pieces)


def change_lines(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    before, after = before or {}, after or {}
    lines = []
    for name in list(dict.fromkeys([*before, *after])):
        if name == "figures":
            lines.extend(_figure_lines(before.get(name) or {}, after.get(name) or {}))
            continue
        old, new = before.get(name), after.get(name)
        if name in before and name in after:
            lines.append(f"{name}: {_shown(old)} → {_shown(new)}")
        elif name in after:
            lines.append(f"{name}: {_shown(new)}")
        else:
            lines.append(f"{name} was: {_shown(old)}")
    return lines


def _figure_lines(before: Any, after: Any) -> list[str]:
    if isinstance(after, int | float) or isinstance(before, int | float):
        return [f"figures: {before or 0} → {after}"]
    names = sorted(set(before) | set(after))
    lines = [
        f"{name}: {_shown(before.get(name))} → {_shown(after.get(name))}"
        for name in names[:FIGURES_SHOWN]
    ]
    if len(names) > FIGURES_SHOWN:
        lines.append(f"…and {len(names) - FIGURES_SHOWN} more figures")
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value) or "(none)"
    shown = str(value)
    return shown if len(shown) <= VALUE_LENGTH else shown[: VALUE_LENGTH - 1] + "…"
