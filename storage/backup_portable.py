"""The portable backup: a zip file any chemclust-bot database can be restored from.

Layout (format version 1)::

    manifest.json          what the file holds (below)
    tables/<table>.jsonl   one line per row: a JSON array of the values, in the order of the
                           table's columns in the manifest

The manifest is a JSON object: ``format`` ("chemclust-bot portable backup"),
``format_version`` (1), ``created_at`` (ISO 8601, UTC), ``schema_revision`` (the Alembic
revision of the database it was taken from), ``source_dialect`` ("sqlite" or "postgresql")
and ``tables``, in dependency order (parents first), each with ``name``, ``file``, ``rows``
and ``columns`` (a list of ``{"name", "kind"}``). A value is written by its column's kind:
``datetime`` as ISO 8601 in UTC, ``date`` as ISO 8601, ``binary`` as base64, ``json`` as the
JSON text the database held (a string; SQL NULL is null), ``decimal`` as a string, and
``text``, ``integer``, ``float``, ``boolean`` as themselves. Derived data (full-text search
tables and columns) is not in the file: the database it is restored into rebuilds it.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from storage.backup_tables import BATCH_SIZE, BackupError, TableShape, read_rows

FORMAT = "chemclust-bot portable backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

_ENCODE: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda value: value.astimezone(UTC).isoformat(),
    "date": lambda value: value.isoformat(),
    "binary": lambda value: base64.b64encode(value).decode("ascii"),
    "decimal": str,
}
_DECODE: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda value: _aware(datetime.fromisoformat(value)),
    "date": date.fromisoformat,
    "binary": lambda value: base64.b64decode(value, validate=True),
    "decimal": Decimal,
}


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment


@dataclass(frozen=True)
class ManifestTable:
    name: str
    file: str
    rows: int
    columns: tuple[tuple[str, str], ...]  # (name, kind)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


@dataclass(frozen=True)
class Manifest:
    schema_revision: str
    source_dialect: str
    created_at: str
    tables: tuple[ManifestTable, ...]


def write_portable(
    connection: Connection,
    shapes: list[TableShape],
    *,
    path: Path,
    revision: str,
    created_at: datetime,
    batch_size: int = BATCH_SIZE,
) -> Manifest:
    """Write every row ``connection`` sees (one snapshot) to ``path``."""
    tables = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for shape in shapes:
            member = f"tables/{shape.name}.jsonl"
            rows = 0
            with archive.open(member, "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                for batch in read_rows(connection, shape, batch_size=batch_size):
                    for row in batch:
                        values = [
                            _encode(col.kind, value)
                            for col, value in zip(shape.columns, row, strict=True)
                        ]
                        out.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")))
                        out.write("\n")
                    rows += len(batch)
                out.flush()
                out.detach()
            columns = tuple((col.name, col.kind) for col in shape.columns)
            tables.append(ManifestTable(shape.name, member, rows, columns))
        manifest = Manifest(
            schema_revision=revision,
            source_dialect=connection.dialect.name,
            created_at=created_at.astimezone(UTC).isoformat(),
            tables=tuple(tables),
        )
        archive.writestr(MANIFEST, json.dumps(_manifest_json(manifest), indent=2))
    return manifest


def _encode(kind: str, value: Any) -> Any:
    return value if value is None or kind not in _ENCODE else _ENCODE[kind](value)


def _manifest_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": manifest.created_at,
        "schema_revision": manifest.schema_revision,
        "source_dialect": manifest.source_dialect,
        "tables": [
            {
                "name": t.name,
                "file": t.file,
                "rows": t.rows,
                "columns": [{"name": name, "kind": kind} for name, kind in t.columns],
            }
            for t in manifest.tables
        ],
    }


def read_manifest(path: Path) -> Manifest:
    """The manifest of a portable backup, or BackupError saying what is wrong with the file."""
    not_ours = f"{path} is not a chemclust-bot backup"
    try:
        with zipfile.ZipFile(path) as archive:
            raw = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{not_ours}: the zip file has no {MANIFEST}.") from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise BackupError(f"{not_ours}: {error}.") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"{not_ours}: its {MANIFEST} is not one of ours.")
    if raw.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a portable backup of format version {raw.get('format_version')}; this "
            f"chemclust-bot reads version {FORMAT_VERSION}: use the version that wrote it."
        )
    try:
        return Manifest(
            schema_revision=str(raw["schema_revision"]),
            source_dialect=str(raw["source_dialect"]),
            created_at=str(raw["created_at"]),
            tables=tuple(
                ManifestTable(
                    name=str(t["name"]),
                    file=str(t["file"]),
                    rows=int(t["rows"]),
                    columns=tuple((str(c["name"]), str(c["kind"])) for c in t["columns"]),
                )
                for t in raw["tables"]
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(
            f"{path}: its {MANIFEST} is damaged ({error!r} is missing or wrong)."
        ) from None


def read_portable_rows(
    path: Path, table: ManifestTable, *, batch_size: int = BATCH_SIZE
) -> Iterator[list[tuple]]:
    """A table's rows from a portable backup, decoded, in batches."""
    width = len(table.columns)
    batch: list[tuple] = []
    number = 0  # the row being read, for messages
    try:
        with zipfile.ZipFile(path) as archive, archive.open(table.file) as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8"):
                number += 1
                values = json.loads(line)
                if not isinstance(values, list) or len(values) != width:
                    raise ValueError(f"{width} values expected")
                batch.append(
                    tuple(
                        _decode(kind, value)
                        for (_, kind), value in zip(table.columns, values, strict=True)
                    )
                )
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
    except KeyError:
        raise BackupError(f"{path}: the file of table {table.name} is missing.") from None
    except (zipfile.BadZipFile, OSError, ValueError, TypeError, binascii.Error) as error:
        raise BackupError(
            f"{path}: table {table.name} is damaged near row {number} ({error})."
        ) from None
    if batch:
        yield batch


def _decode(kind: str, value: Any) -> Any:
    return value if value is None or kind not in _DECODE else _DECODE[kind](value)
