"""``chemclust-bot db backup FILE`` and ``db restore FILE`` as an operator runs them: while the
bot sends reminders, into empty databases only, and with one clear line for every mistake."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.backup_databases import migrate_to
from storage.db import make_engine
from storage.models import Base, WorkingGroup
from tests.bot.test_processes import command, due_now, wait_until
from tests.conftest import COORDINATOR_ID
from tests.storage.backup_support import (
    HEAD,
    OLDER,
    backend_of,
    empty_database,
    row_counts,
    seeded_database,
    table_contents,
)
from tests.support.processes import BotProcess, environment, run_command

PG = pytest.mark.postgresql
DEADLINES = 3  # each with a lead reminder and a direct message to each of three partners


def reminder_posts(mock_slack) -> list[dict]:
    return [c.data for c in mock_slack.of("chat.postMessage") if "Data " in c.data.get("text", "")]


def rows_said(line: str) -> int:
    return int(re.search(r"([\d,]+) rows", line).group(1).replace(",", ""))


def counts_in_file(path: Path, kind: str) -> dict[str, int] | None:
    """Rows per table as the backup file itself holds them, read without chemclust-bot."""
    if kind == "portable":
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        return {table["name"]: table["rows"] for table in manifest["tables"]}
    if kind == "SQLite":
        with sqlite3.connect(path) as connection:
            return {
                table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]  # noqa: S608
                for table in Base.metadata.sorted_tables
            }
    return None  # a pg_dump archive: its total is checked against the backup's line


@pytest.mark.parametrize(
    ("backend", "options", "kind"),
    [
        pytest.param("sqlite", [], "SQLite", id="sqlite-file"),
        pytest.param("sqlite", ["--portable"], "portable", id="sqlite-portable"),
        pytest.param("postgresql", [], "pg_dump custom format", id="pg_dump", marks=PG),
        pytest.param("postgresql", ["--portable"], "portable", id="postgresql-portable", marks=PG),
    ],
)
def test_a_backup_taken_while_reminders_go_out_restores_with_the_same_counts(
    request, mock_slack, tmp_path, backend, options, kind
):
    source = seeded_database(request, backend)
    # The dispatcher is busy for seconds: Slack answers slowly, and the sender posts to each
    # partner's direct chat one message a second (three deadlines: three seconds' worth).
    mock_slack.delays["chat.postMessage"] = 0.2
    bot = BotProcess(
        database_url=source, slack_api_url=mock_slack.api_url, log_path=tmp_path / "bot.log"
    ).start()
    path = tmp_path / "while-sending.backup"
    try:
        for user, region in {"UP1": "Limburg", "UP2": "NRW", "UP3": "Asturias"}.items():
            command(bot, mock_slack, "/chemclust", f"join {region}", user_id=user)
        for number in range(DEADLINES):
            command(
                bot,
                mock_slack,
                "/deadline",
                f'add "Data {number}" in 1 hour for Limburg, NRW, Asturias remind 0m',
                user_id=COORDINATOR_ID,
                channel_id=f"C{number:03d}",
            )
        due_now(source, kinds=("lead", "direct"))  # all twelve at once: seconds of sending
        wait_until(lambda: len(reminder_posts(mock_slack)) >= 2, timeout=60, what="reminders")
        backup = run_command(
            ["db", "backup", str(path), *options],
            env=environment(DATABASE_URL=source),
            cwd=tmp_path,
        )
        every = DEADLINES * 4
        wait_until(lambda: len(reminder_posts(mock_slack)) >= every, timeout=90, what="the rest")
    finally:
        bot.stop()
    assert backup.returncode == 0, backup.stderr
    assert f", {kind}): " in backup.stdout
    assert f"schema revision {HEAD}." in backup.stdout

    target = empty_database(request, backend)
    restore = run_command(
        ["db", "restore", str(path)], env=environment(DATABASE_URL=target), cwd=tmp_path
    )
    assert restore.returncode == 0, restore.stderr
    restored = row_counts(target)
    assert sum(restored.values()) == rows_said(backup.stdout) == rows_said(restore.stdout)
    in_file = counts_in_file(path, kind)
    if in_file is not None:
        assert restored == in_file
    # Only reminders were written while the backup ran; every other table is as it is now.
    now = row_counts(source)
    assert {t: n for t, n in restored.items() if t != "reminder"} == {
        t: n for t, n in now.items() if t != "reminder"
    }
    assert 0 < restored["reminder"] <= now["reminder"]


def test_restore_refuses_a_database_that_holds_rows(database_url, tmp_path, db_cli):
    path = tmp_path / "group.zip"
    assert db_cli(database_url, "db", "backup", str(path), "--portable")[0] == 0
    before = table_contents(database_url)

    line = db_cli.refused(database_url, "db", "restore", str(path))

    assert "is not empty: rows in working_group (1), benchmark_edition (2)" in line
    assert line.endswith("Use an empty database.")
    assert table_contents(database_url) == before


def test_restore_refuses_what_is_not_a_backup(tmp_path, db_cli):
    target = tmp_path / "target.db"
    url = f"sqlite:///{target}"
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a backup")
    no_manifest = tmp_path / "photos.zip"
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something else"}))
    other_sqlite = tmp_path / "other.db"
    with sqlite3.connect(other_sqlite) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")

    answers = {
        name: db_cli.refused(url, "db", "restore", str(path))
        for name, path in {
            "missing": tmp_path / "missing.zip",
            "text": text_file,
            "zip": no_manifest,
            "foreign": foreign,
            "sqlite": other_sqlite,
        }.items()
    }

    assert answers == {
        "missing": f"There is no backup file {tmp_path / 'missing.zip'}.",
        "text": f"{text_file} is not a chemclust-bot backup: neither a SQLite database, a "
        "pg_dump archive nor a portable backup.",
        "zip": f"{no_manifest} is not a chemclust-bot backup: the zip file has no manifest.json.",
        "foreign": f"{foreign} is not a chemclust-bot backup: its manifest.json is not one of "
        "ours.",
        "sqlite": f"{other_sqlite} is a SQLite database but not a chemclust-bot backup: it has "
        "no schema revision.",
    }
    assert not target.exists()  # refused before the database was touched


def rewrite(path: Path, name: str, change) -> None:
    """Change one member of a portable backup, as damage or a newer chemclust-bot would."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = change(members[name])
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)


def test_restore_refuses_a_backup_from_a_newer_chemclust_bot(
    database_url, tmp_path, request, db_cli
):
    path = tmp_path / "group.zip"
    assert db_cli(database_url, "db", "backup", str(path), "--portable")[0] == 0

    def future(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest["schema_revision"] = "0099_from_the_future"
        return json.dumps(manifest).encode()

    rewrite(path, "manifest.json", future)
    target = empty_database(request, "sqlite")

    line = db_cli.refused(target, "db", "restore", str(path))

    assert line == (
        f"The backup {path} is at schema revision 0099_from_the_future, which this "
        f"chemclust-bot does not know (its newest is {HEAD}): use the version that wrote it."
    )


def test_a_damaged_backup_restores_nothing_and_can_be_retried(
    database_url, tmp_path, request, db_cli
):
    good = tmp_path / "good.zip"
    assert db_cli(database_url, "db", "backup", str(good), "--portable")[0] == 0
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(good.read_bytes())
    rewrite(damaged, "tables/practice.jsonl", lambda raw: raw.rstrip(b"\n") + b"\n[1, 2")
    target = empty_database(request, backend_of(database_url))

    line = db_cli.refused(target, "db", "restore", str(damaged))

    assert line.startswith(f"{damaged}: table practice is damaged near row 26 (")
    assert set(row_counts(target).values()) == {0}  # the rows before it were rolled back
    assert db_cli(target, "db", "restore", str(good))[0] == 0
    assert table_contents(target) == table_contents(database_url)


def test_restore_refuses_a_database_at_another_schema_revision(database_url, tmp_path, db_cli):
    path = tmp_path / "group.zip"
    assert db_cli(database_url, "db", "backup", str(path), "--portable")[0] == 0
    target = f"sqlite:///{tmp_path / 'older.db'}"
    engine = make_engine(target)
    migrate_to(engine, OLDER)
    engine.dispose()

    line = db_cli.refused(target, "db", "restore", str(path))

    assert line == (
        f"The schema revisions differ: the backup group.zip is at {HEAD}, {target} at {OLDER}. "
        "Bring both to one revision (chemclust-bot db upgrade) or use a database without tables."
    )


def test_an_old_backup_restores_at_its_revision_and_then_upgrades(tmp_path, db_cli):
    old = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(old)
    migrate_to(engine, OLDER)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO working_group (id, slug, name, timezone, is_default, created_at) "
                "VALUES (1, 'chemclust', 'ChemClust', 'Europe/Brussels', 1, "
                "'2011-05-04 09:30:00.000000')"
            )
        )
    engine.dispose()
    path = tmp_path / "old.zip"
    assert db_cli(old, "db", "backup", str(path), "--portable")[0] == 0
    target = f"sqlite:///{tmp_path / 'restored.db'}"

    code, out, _ = db_cli(target, "db", "restore", str(path))

    assert code == 0
    assert out.endswith(f"1 row, each table as many as in the backup; schema revision {OLDER}.\n")
    assert db_cli(target, "db", "upgrade")[0] == 0
    (group,) = table_contents(target)["working_group"]
    assert group[1:3] == ("chemclust", "ChemClust")
    assert group[WorkingGroup.__table__.columns.keys().index("created_at")].isoformat() == (
        "2011-05-04T09:30:00+00:00"
    )


@PG
def test_a_pg_dump_archive_restores_into_postgresql_only(request, tmp_path, db_cli):
    source = seeded_database(request, "postgresql")
    path = tmp_path / "group.pgdump"
    assert db_cli(source, "db", "backup", str(path))[0] == 0

    line = db_cli.refused(f"sqlite:///{tmp_path / 'target.db'}", "db", "restore", str(path))
    assert line == (
        f"{path} is a pg_dump archive, which restores into PostgreSQL only: for SQLite, take a "
        "portable backup (chemclust-bot db backup --portable FILE) or use db copy."
    )
    # Into PostgreSQL it goes, also where the (empty) tables are there already.
    target = empty_database(request, "postgresql")
    engine = make_engine(target)
    migrate_to(engine, HEAD)
    engine.dispose()
    assert db_cli(target, "db", "restore", str(path))[0] == 0
    assert table_contents(target) == table_contents(source)


def test_backup_refuses_what_it_cannot_do(request, tmp_path, db_cli):
    source = seeded_database(request, "sqlite")
    existing = tmp_path / "existing.db"
    existing.write_text("an older backup")
    missing_database = tmp_path / "missing.db"

    answers = [
        db_cli.refused(source, "db", "backup", str(existing)),
        db_cli.refused(source, "db", "backup", str(tmp_path / "no" / "folder.db")),
        db_cli.refused(f"sqlite:///{missing_database}", "db", "backup", str(tmp_path / "b.db")),
    ]

    assert answers == [
        f"{existing} already exists: choose a new name, or move it away first.",
        f"The folder {tmp_path / 'no'} does not exist.",
        f"There is no SQLite database at {missing_database} (the database).",
    ]
    assert existing.read_text() == "an older backup"
    assert not missing_database.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


@PG
def test_backup_refuses_an_unreachable_or_empty_postgresql(request, tmp_path, db_cli):
    unreachable = "postgresql://chemclust:pa55-w0rd-secret@127.0.0.1:1/chemclust"
    empty = empty_database(request, "postgresql")

    first = db_cli.refused(unreachable, "db", "backup", str(tmp_path / "a.backup"))
    second = db_cli.refused(empty, "db", "backup", str(tmp_path / "b.backup"))

    assert first.startswith(
        "Cannot reach the database postgresql+psycopg://chemclust:***@127.0.0.1:1/chemclust: "
    )
    assert "pa55-w0rd-secret" not in first
    assert second.endswith("has no chemclust-bot schema: there is nothing to back up.")
    assert list(tmp_path.iterdir()) == []


@PG
def test_without_pg_dump_a_postgresql_backup_is_portable(request, tmp_path, monkeypatch, db_cli):
    source = seeded_database(request, "postgresql")
    nothing_here = tmp_path / "bin"
    nothing_here.mkdir()
    monkeypatch.setenv("PATH", str(nothing_here))
    path = tmp_path / "group.backup"

    code, out, _ = db_cli(source, "db", "backup", str(path))

    assert code == 0
    assert ", portable): 34 tables, " in out
    assert zipfile.is_zipfile(path)


@PG
def test_a_failing_pg_dump_is_one_line_and_leaves_no_file(request, tmp_path, monkeypatch, db_cli):
    source = seeded_database(request, "postgresql")
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text(
        "#!/bin/sh\necho 'pg_dump: error: aborting because of server version mismatch' >&2\n"
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    out_dir = tmp_path / "backups"
    out_dir.mkdir()

    line = db_cli.refused(source, "db", "backup", str(out_dir / "group.pgdump"))

    assert line == (
        "pg_dump failed: pg_dump: error: aborting because of server version mismatch "
        "(chemclust-bot db backup --portable FILE needs no pg_dump)."
    )
    assert list(out_dir.iterdir()) == []


def test_the_portable_backup_is_what_the_readme_describes(database_url, tmp_path, db_cli):
    path = tmp_path / "group.zip"
    assert db_cli(database_url, "db", "backup", str(path), "--portable")[0] == 0

    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        lines = {
            t["name"]: archive.read(t["file"]).decode().splitlines() for t in manifest["tables"]
        }

    assert manifest["format"] == "chemclust-bot portable backup"
    assert manifest["format_version"] == 1
    assert manifest["schema_revision"] == HEAD
    assert manifest["source_dialect"] == backend_of(database_url)
    assert manifest["created_at"].endswith("+00:00")
    order = [t["name"] for t in manifest["tables"]]
    assert set(order) == {t.name for t in Base.metadata.sorted_tables}
    for table in Base.metadata.sorted_tables:  # parents before children
        for key in table.foreign_keys:
            if key.column.table is not table:
                assert order.index(key.column.table.name) < order.index(table.name)
    for table in manifest["tables"]:
        assert len(lines[table["name"]]) == table["rows"]
    kinds = {c["name"]: c["kind"] for c in manifest["tables"][order.index("event")]["columns"]}
    assert (kinds["starts_at"], kinds["conversation"], kinds["title"]) == (
        "datetime",
        "json",
        "text",
    )
    assert "search_vector" not in {
        c["name"] for c in manifest["tables"][order.index("practice")]["columns"]
    }
    group = json.loads(lines["working_group"][0])
    columns = [c["name"] for c in manifest["tables"][order.index("working_group")]["columns"]]
    assert group[columns.index("created_at")].endswith("+00:00")  # in UTC
