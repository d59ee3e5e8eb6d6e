"""The features' command-line tools in a working group of their choosing: ``--group SLUG``
reaches a second group's figures; without it, the default group; an unknown slug is refused
in one line naming the groups there are, and nothing is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.groups import group_by_slug
from storage.models import BenchmarkEdition
from tests.bot.cli.test_import_benchmark import snapshot
from tests.support.benchmark_files import to_csv, wide_csv

GROUP_FILE = Path(__file__).parents[2] / "support" / "fixtures" / "group_batteries.yml"
BATTERY_FIGURES = [
    ["region", "indicator", "value"],
    ["Vasterbotten", "GIGA", "16"],
    ["Nouvelle-Aquitaine", "Cell factory capacity", "40"],
]


@pytest.fixture
def batteries(db_cli, database_url, environment) -> None:
    """A second working group, created as its operator would."""
    code, _, err = db_cli(database_url, "group", "create", "--config", str(GROUP_FILE))
    assert (code, err) == (0, ""), err


def editions_of(sessions, slug: str) -> list[str]:
    with sessions() as session:
        group = group_by_slug(session=session, slug=slug)
        return list(
            session.scalars(
                select(BenchmarkEdition.label)
                .where(BenchmarkEdition.group_id == group.id)
                .order_by(BenchmarkEdition.id)
            )
        )


def test_a_second_group_imports_and_exports_its_own_figures(
    batteries, db_cli, database_url, sessions, tmp_path
):
    figures = tmp_path / "batteries-2025.csv"
    figures.write_bytes(to_csv(BATTERY_FIGURES))
    chemclust_before = editions_of(sessions, "chemclust")

    code, out, err = db_cli(
        database_url,
        "import",
        "benchmark",
        str(figures),
        "--edition",
        "2025",
        "--group",
        "batteries",
    )
    assert (code, err) == (0, ""), out
    assert "Imported 2 figures into 2025" in out
    assert editions_of(sessions, "batteries") == ["2025"]
    assert editions_of(sessions, "chemclust") == chemclust_before

    exported = tmp_path / "batteries.csv"
    code, out, _ = db_cli(
        database_url, "export", "benchmark", "--out", str(exported), "--group", "batteries"
    )
    assert code == 0
    assert out == f"Wrote {exported.resolve()} (2025)\n"
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig"))))
    regions = {row[1] for row in rows[1:]}
    assert regions == {"Västerbotten", "Nouvelle-Aquitaine"}

    # Eurostat reads the group's own indicators: ChemClust's BUSRD is none of the batteries'.
    code, out, _ = db_cli(
        database_url, "import", "eurostat", "rd_e_gerdreg", "--indicator", "BUSRD",
        "--group", "batteries", "--dry-run",
    )  # fmt: skip
    assert code == 1
    assert "Unknown indicator “BUSRD”. Closest: GIGA (Cell factory capacity)." in out


def test_without_a_group_the_default_group_gets_the_figures(
    batteries, db_cli, database_url, sessions, tmp_path
):
    figures = tmp_path / "benchmark-2014.csv"
    figures.write_bytes(wide_csv())
    code, out, _ = db_cli(database_url, "import", "benchmark", str(figures), "--edition", "2014")
    assert code == 0, out
    assert editions_of(sessions, "chemclust")[-1] == "2014"
    assert editions_of(sessions, "batteries") == []


@pytest.mark.parametrize(
    "argv",
    [
        ("import", "benchmark", "{figures}", "--edition", "2025"),
        ("import", "eurostat", "rd_e_gerdreg", "--indicator", "BUSRD"),
        ("import", "practices", "{figures}"),
        ("export", "benchmark", "--out", "{out}"),
        ("export", "pilots", "--out", "{out}"),
        ("report", "pilot", "skills", "--out", "{docx}"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_an_unknown_group_is_refused_in_one_line_and_nothing_is_written(
    argv, batteries, db_cli, database_url, sessions, tmp_path
):
    figures = tmp_path / "figures.csv"
    figures.write_bytes(to_csv(BATTERY_FIGURES))
    paths = {"figures": figures, "out": tmp_path / "out.csv", "docx": tmp_path / "out.docx"}
    before = snapshot(sessions)
    typed = [part.format(**paths) for part in argv]

    code, out, err = db_cli(database_url, *typed, "--group", "nosuch")

    assert (code, out) == (1, "")
    assert err == (
        "chemclust-bot: There is no working group “nosuch”. "
        "The working groups are: chemclust, batteries.\n"
    )
    assert snapshot(sessions) == before
    assert not paths["out"].exists()
    assert not paths["docx"].exists()
