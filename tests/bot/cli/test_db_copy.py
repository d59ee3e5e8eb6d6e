"""``chemclust-bot db copy --to URL``: moving a used group from SQLite to PostgreSQL (and
back), with the same rows and the same answers on both sides, and one clear line for every
target it must not or cannot copy to."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import make_url

from storage.backup_databases import migrate_to
from storage.db import make_engine
from tests.storage.backup_support import (
    COORDINATOR,
    HEAD,
    OLDER,
    PARTNER,
    answers,
    core_on,
    empty_database,
    json_nulls,
    row_counts,
    seeded_database,
    table_contents,
    use_the_group,
)
from tests.support.events import reply_text

PG = pytest.mark.postgresql
TABLE_LINE = re.compile(r"^  (\w+) +([\d,]+) → ([\d,]+)$")


def with_password(url: str, password: str) -> str:
    """The address with a password (the test server trusts local users and ignores it)."""
    if make_url(url).get_backend_name() != "postgresql":
        return url
    return url.replace("postgres@", f"postgres:{password}@", 1)


def counts_printed(out: str) -> dict[str, tuple[int, int]]:
    printed = {}
    for line in out.splitlines()[:-1]:
        name, source, target = TABLE_LINE.match(line).groups()
        printed[name] = (int(source.replace(",", "")), int(target.replace(",", "")))
    return printed


@pytest.mark.parametrize(
    ("source_backend", "target_backend"),
    [
        pytest.param("sqlite", "postgresql", id="sqlite-to-postgresql", marks=PG),
        pytest.param("postgresql", "sqlite", id="postgresql-to-sqlite", marks=PG),
    ],
)
def test_a_used_group_copied_has_the_same_rows_and_answers(
    request, db_cli, source_backend, target_backend
):
    source = seeded_database(request, source_backend)
    use_the_group(source)
    before = table_contents(source)
    target = with_password(empty_database(request, target_backend), "hunter2-not-shown")

    code, out, err = db_cli(source, "db", "copy", "--to", target)

    assert (code, err) == (0, ""), err
    assert "hunter2-not-shown" not in out
    *_, summary = out.splitlines()
    shown_target = make_url(target).render_as_string(hide_password=True)
    assert summary.endswith(
        f"in 34 tables from {make_url(source).render_as_string(hide_password=True)} to "
        f"{shown_target}, schema revision {HEAD}; every table's count matches."
    )
    source_counts, target_counts = row_counts(source), row_counts(target)
    assert counts_printed(out) == {
        name: (rows, target_counts[name]) for name, rows in source_counts.items()
    }
    assert source_counts == target_counts
    assert table_contents(target) == before == table_contents(source)  # the source only read
    assert json_nulls(target) == json_nulls(source)
    assert answers(target) == answers(source)

    # The copy takes new rows with fresh ids, as the group goes on using it.
    core, engine = core_on(target)
    try:
        added = core.run_line(PARTNER, "/practice add Solvent recycling | Limburg | skills | Less.")
        logged = core.run_line(PARTNER, "/pilot log skills Second workshop")
        deadline = core.run_line(COORDINATOR, '/deadline add "Data 2016" 2026-12-20 for all')
    finally:
        engine.dispose()
    assert "New good practice #27" in reply_text(added)
    assert reply_text(logged).startswith("Logged for Limburg")
    assert "New deadline: Data 2016" in reply_text(deadline)


@pytest.mark.parametrize("target_backend", ["sqlite", pytest.param("postgresql", marks=PG)])
def test_copy_refuses_a_target_that_holds_rows(request, db_cli, target_backend):
    source = seeded_database(request, "sqlite")
    target = seeded_database(request, target_backend)
    use_the_group(target)
    before = table_contents(target)

    line = db_cli.refused(source, "db", "copy", "--to", target)

    assert "is not empty: rows in working_group (1), audit_entry (" in line
    assert "), benchmark_edition (3)" in line
    assert table_contents(target) == before


@pytest.mark.parametrize("target_backend", ["sqlite", pytest.param("postgresql", marks=PG)])
def test_copy_needs_the_same_schema_revision_on_both_sides(
    request, tmp_path, db_cli, target_backend
):
    source = f"sqlite:///{tmp_path / 'older.db'}"
    engine = make_engine(source)
    migrate_to(engine, OLDER)
    engine.dispose()
    target = with_password(empty_database(request, target_backend), "s3cret-pw")
    engine = make_engine(target)
    migrate_to(engine, HEAD)
    engine.dispose()

    line = db_cli.refused(source, "db", "copy", "--to", target)

    assert line == (
        f"The schema revisions differ: {source} is at {OLDER}, "
        f"{make_url(target).render_as_string(hide_password=True)} at {HEAD}. Bring both to one "
        "revision (chemclust-bot db upgrade) or use a database without tables."
    )
    assert "s3cret-pw" not in line


def test_an_older_schema_is_copied_at_its_revision(request, tmp_path, db_cli):
    source = f"sqlite:///{tmp_path / 'older.db'}"
    engine = make_engine(source)
    migrate_to(engine, OLDER)
    engine.dispose()
    target = empty_database(request, "sqlite")

    code, out, _ = db_cli(source, "db", "copy", "--to", target)

    assert code == 0
    assert out.splitlines()[-1].endswith(f"schema revision {OLDER}; every table's count matches.")


def test_copy_refuses_addresses_it_cannot_use(request, tmp_path, db_cli):
    source = seeded_database(request, "sqlite")
    missing = tmp_path / "missing.db"
    copy_to = {
        "unreachable": "postgresql://chemclust:pa55-w0rd-secret@127.0.0.1:1/chemclust",
        "mysql": "mysql://chemclust@db.example.org/chemclust",
        "nonsense": "the big server",
        "no folder": f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}",
        "memory": "sqlite://",
        "itself": source,
    }

    answers = {
        name: db_cli.refused(source, "db", "copy", "--to", url) for name, url in copy_to.items()
    }
    no_source = db_cli.refused(
        f"sqlite:///{missing}", "db", "copy", "--to", f"sqlite:///{tmp_path}/t.db"
    )

    assert answers["unreachable"].startswith(
        "Cannot reach the target postgresql+psycopg://chemclust:***@127.0.0.1:1/chemclust: "
    )
    assert "pa55-w0rd-secret" not in answers["unreachable"]
    assert answers["mysql"] == (
        "mysql://chemclust@db.example.org/chemclust: chemclust-bot works with SQLite "
        "(sqlite:///FILE) and PostgreSQL (postgresql://USER:PASSWORD@HOST/DB) databases only."
    )
    assert answers["nonsense"] == "“the big server” is not a database URL."
    assert answers["no folder"] == (
        f"The folder {tmp_path / 'no' / 'such'} does not exist "
        f"(the target, {copy_to['no folder']})."
    )
    assert answers["memory"] == "sqlite:// is a database in memory: give a file, sqlite:///FILE."
    assert answers["itself"] == "The target is the database you copy from: give another one."
    assert no_source == f"There is no SQLite database at {missing} (the source)."
    assert not missing.exists()
    assert not (tmp_path / "t.db").exists()
