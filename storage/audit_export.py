"""The audit trail as a file: every entry, oldest first, as a workbook or CSV."""

from __future__ import annotations

import json
from collections.abc import Iterable

from storage.models import AuditEntry
from storage.tables_export import Cell, SheetTable, csv_bytes, inert, workbook_bytes

HEADER = (
    "at (UTC)",
    "platform",
    "user id",
    "name",
    "region",
    "entity",
    "id",
    "action",
    "before",
    "after",
)
WIDTHS = {0: 26, 2: 16, 3: 22, 4: 18, 5: 12, 6: 14, 7: 10, 8: 60, 9: 60}


def audit_rows(entries: Iterable[AuditEntry]) -> list[list[Cell]]:
    """One row per entry; before and after as JSON text, whole."""
    return [
        [
            inert(cell)
            for cell in (
                entry.at.isoformat(),
                entry.actor_platform,
                entry.actor_user_id,
                entry.actor_name or "",
                entry.actor_region or "",
                entry.entity,
                entry.entity_id,
                entry.action,
                _json(entry.before),
                _json(entry.after),
            )
        ]
        for entry in entries
    ]


def _json(fields: dict | None) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True) if fields else ""


def audit_file(entries: Iterable[AuditEntry], *, excel: bool) -> bytes:
    rows = audit_rows(entries)
    if excel:
        return workbook_bytes([SheetTable("Audit trail", HEADER, rows, widths=WIDTHS)])
    return csv_bytes(HEADER, rows)
