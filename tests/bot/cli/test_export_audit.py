"""``chemclust-bot export audit``: every change, oldest first, as CSV or a workbook."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from bot.console.render import render
from commands.context import Identity
from storage.audit_export import HEADER
from tests.support.groups import BATTERIES, create_batteries

BATTERIES_TEAM = "TBATT"
# The batteries group's coordinator (named in its file), in its own workspace.
BATTERIES_COORDINATOR = Identity(
    platform="slack",
    user_id="UBATT01",
    workspace_id=BATTERIES_TEAM,
    channel_id="CBATT",
    user_name="astrid",
)


def test_the_trail_as_csv_and_xlsx_after_changes_in_chat(
    db_cli, database_url, core, coordinator, tmp_path
):
    core.run_line(coordinator, "/chemclust join Limburg")
    core.run_line(coordinator, "/practice edit 2 year=2009 | contact==HYPERLINK(1)")

    code, out, err = db_cli(database_url, "export", "audit", "--out", str(tmp_path / "a.csv"))
    assert (code, err) == (0, ""), err
    assert "audit entries" in out
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text())))
    assert tuple(rows[0]) == HEADER
    edit = next(r for r in rows if r[5:8] == ["practice", "2", "edit"])
    assert edit[1:5] == ["slack", coordinator.user_id, coordinator.user_name, "Limburg"]
    assert json.loads(edit[9]) == {"contact": "=HYPERLINK(1)", "year": 2009}

    code, _, _ = db_cli(database_url, "export", "audit", "--out", str(tmp_path / "a.xlsx"))
    assert code == 0
    sheet = load_workbook(tmp_path / "a.xlsx").active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(cells[0]) == HEADER
    assert len(cells) == len(rows)

    code, _, err = db_cli(database_url, "export", "audit", "--out", str(tmp_path / "a.txt"))
    assert code == 2
    assert "--out must end in .xlsx or .csv" in err


def test_each_group_exports_its_own_trail_and_an_unknown_group_writes_nothing(
    db_cli, database_url, core, coordinator, sessions, tmp_path
):
    create_batteries(sessions, workspace=BATTERIES_TEAM)
    core.run_line(coordinator, "/chemclust join Limburg")
    joined = core.run_line(BATTERIES_COORDINATOR, "/chemclust join Vasterbotten")
    assert "Västerbotten" in render(joined)

    def exported(*group: str) -> list[list[str]]:
        out = tmp_path / f"audit-{'-'.join(group) or 'default'}.csv"
        code, said, err = db_cli(database_url, "export", "audit", "--out", str(out), *group)
        assert (code, err) == (0, ""), err
        rows = list(csv.reader(io.StringIO(out.read_text())))[1:]
        assert said == f"Wrote {out.resolve()} ({len(rows)} audit entries)\n"
        return rows

    chemclust = exported()
    assert exported("--group", "chemclust") == chemclust
    # Recorded as a coordinator on first contact, then the join.
    assert [(row[2], row[5], row[7]) for row in chemclust] == [
        (coordinator.user_id, "member", "role"),
        (coordinator.user_id, "member", "join"),
    ]
    assert "Limburg" in chemclust[1][9]
    assert "Västerbotten" not in str(chemclust)

    batteries = exported("--group", BATTERIES)
    # The group's file made its coordinator (at the real time), she joined (at the core's).
    assert sorted((row[2], row[5], row[7]) for row in batteries) == [
        ("UBATT01", "member", "join"),
        ("chemclust-bot", "member", "role"),
    ]
    assert "Västerbotten" in str(batteries)
    assert "Limburg" not in str(batteries)

    nowhere = tmp_path / "nowhere.csv"
    refused = db_cli.refused(
        database_url, "export", "audit", "--out", str(nowhere), "--group", "nosuch"
    )
    assert refused == (
        "There is no working group “nosuch”. The working groups are: chemclust, batteries."
    )
    assert not nowhere.exists()
