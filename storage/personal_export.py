"""A person's data as files they can keep: JSON (by table, row by row) and CSV (cell by cell)."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from storage.personal_data import SECRET_COLUMNS, Found, Person
from storage.tables_export import inert

# Why each table holds what it holds about a person (README, "Your data").
PURPOSES = {
    "member": "who you are in the group: your region and role",
    "pilot_update": "progress you logged on the pilot actions",
    "practice": "good practices you added",
    "event": "workshops and deadlines you added",
    "event_delivery": "deliveries you recorded for a deadline",
    "pilot_milestone": "milestones you added or marked done",
    "group_channel": "the group channel you set",
    "pilot_channel": "channels you linked to a pilot",
    "reminder": "reminders sent or to be sent to you",
    "form_session": "forms the bot opened for you (kept a day)",
    "benchmark_upload": "benchmark files you sent the bot",
    "teams_conversation": "how the bot reaches you in Teams",
    "audit_entry": "changes you made to shared data, or that concern your membership",
    "seen_event": "deliveries of your messages the bot has handled (kept a few days)",
}


def personal_json(person: Person, found: Iterable[Found], *, now: datetime) -> bytes:
    tables: dict[str, list[dict[str, Any]]] = {}
    for item in found:
        tables.setdefault(item.table.name, []).append(_shown_row(item.row))
    document = {
        "about": "Everything the ChemClust bot holds about you, as of the time below.",
        "generated_at": now.isoformat(),
        "you": {
            "platform": person.platform,
            "user_id": person.user_id,
            "names": sorted(person.names),
        },
        "why": {name: PURPOSES.get(name, "") for name in tables},
        "tables": tables,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain).encode()


def personal_csv(found: Iterable[Found]) -> bytes:
    """One line per cell: table, row, column, value (JSON values as JSON text)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row", "column", "value"])
    for item in found:
        row = _shown_row(item.row)
        key = "/".join(str(row.get(c.name)) for c in item.table.primary_key.columns)
        for name, value in row.items():
            if value is None:
                continue
            shown = value if isinstance(value, str) else json.dumps(value, default=_plain)
            writer.writerow([item.table.name, key, name, inert(shown)])
    return out.getvalue().encode("utf-8-sig")


def _shown_row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain(v) for name, v in row.items() if name not in SECRET_COLUMNS}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
