"""Backups in the database's own format: a SQLite file made with SQLite's online backup API,
or a pg_dump archive (custom format); and putting them back."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL

from storage.backup_tables import BackupError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"

_COPY = re.compile(r'^COPY (?:"?[^"\s.]+"?\.)?"?([^"\s]+)"? .*FROM stdin;$')
_END_OF_COPY = "\\."


def sqlite_backup(live: Engine, destination: Path) -> None:
    """Copy the live SQLite database into ``destination`` while the bot goes on writing."""
    with (
        closing(live.raw_connection()) as pooled,
        closing(sqlite3.connect(destination)) as copy,
    ):
        # One step (pages=-1) copies the whole database in one read transaction: the copy is
        # a single moment of it, and in WAL mode the bot's writers never wait for it.
        pooled.driver_connection.backup(copy)
        # One self-contained file, with no -wal file beside it.
        copy.execute("PRAGMA journal_mode=DELETE")


def read_only_sqlite(path: Path) -> Engine:
    """An engine that reads a SQLite file and cannot change it (not even its journal mode)."""
    uri = f"file:{path.resolve()}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def sqlite_restore(backup: Path, target: Path) -> None:
    with (
        closing(sqlite3.connect(f"file:{backup.resolve()}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target, timeout=30)) as restored,
    ):
        source.backup(restored)


# PostgreSQL ---------------------------------------------------------------------------------


def pg_dump_available() -> bool:
    return shutil.which("pg_dump") is not None


def pg_dump(url: URL, *, snapshot_id: str, destination: Path) -> None:
    """Dump the database as the exported snapshot ``snapshot_id`` shows it."""
    _run(
        "pg_dump",
        "--format=custom",
        "--no-password",
        f"--snapshot={snapshot_id}",
        f"--file={destination}",
        f"--dbname={_libpq_address(url)}",
        url=url,
        hint="chemclust-bot db backup --portable FILE needs no pg_dump",
    )


def pg_restore(url: URL, archive: Path, *, replace_tables: bool) -> None:
    """Restore an archive in one transaction; ``replace_tables`` first drops the (empty) tables
    the archive brings again."""
    replacing = ["--clean", "--if-exists"] if replace_tables else []
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        *replacing,
        f"--dbname={_libpq_address(url)}",
        str(archive),
        url=url,
        hint="nothing was restored",
    )


def pg_archive_contents(archive: Path) -> tuple[str | None, dict[str, int]]:
    """The schema revision and the rows per table that a pg_dump archive holds."""
    program = _program("pg_restore")
    counts: dict[str, int] = {}
    revision_lines: list[str] = []
    current: str | None = None
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(  # noqa: S603 - a fixed program, the archive path as one argument
            [program, "--data-only", "--file=-", str(archive)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
            errors="replace",
        ) as process:
            # COPY text format: one line per row, between "COPY table (…) FROM stdin;" and "\.".
            for line in process.stdout or ():
                line = line.rstrip("\n")
                if current is None:
                    match = _COPY.match(line)
                    if match:
                        current = match.group(1)
                        counts[current] = 0
                elif line == _END_OF_COPY:
                    current = None
                else:
                    counts[current] += 1
                    if current == "alembic_version":
                        revision_lines.append(line)
        if process.returncode != 0:
            errors.seek(0)
            said = _first_line(errors.read().decode("utf-8", "replace"))
            raise BackupError(f"pg_restore cannot read {archive}: {said}")
    counts.pop("alembic_version", None)
    return (revision_lines[0] if len(revision_lines) == 1 else None), counts


def _program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupError(f"{name} is not on PATH: install PostgreSQL's client tools.")
    return program


def _libpq_address(url: URL) -> str:
    """The address for libpq's tools; the password goes through the environment instead, out
    of sight of anyone listing processes."""
    bare = url.set(drivername="postgresql", password=None, query={})
    address = bare.render_as_string(hide_password=False)
    if not url.query:
        return address
    # libpq reads %20 as a space but not +, which SQLAlchemy would write ("-c TimeZone=…").
    return f"{address}?{urlencode(url.query, doseq=True, quote_via=quote)}"


def _run(name: str, *arguments: str, url: URL, hint: str) -> None:
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    result = subprocess.run(  # noqa: S603 - a fixed program with arguments, no shell
        [_program(name), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        said = _first_line(result.stderr)
        if url.password:
            said = said.replace(str(url.password), "***")
        raise BackupError(f"{name} failed: {said} ({hint}).")


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no reason given"
