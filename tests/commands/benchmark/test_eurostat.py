"""Eurostat's JSON-stat answers, mapped to an indicator and to editions by year."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from sqlalchemy import select

from bot.cli import main
from commands.benchmark.eurostat_api import DEFAULT_API_URL, EurostatError, parse, positions
from storage.models import BenchmarkEdition, BenchmarkValue, Indicator, Region
from tests.bot.cli.test_import_benchmark import snapshot

FIXTURE = Path(__file__).parents[2] / "support" / "fixtures" / "eurostat_rd_e_gerdreg.json"
TEST_API = "https://eurostat.test/api/data/"


def document() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def run(monkeypatch, database_url, *args: str) -> int:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("EUROSTAT_API_URL", TEST_API)
    return main(["import", "eurostat", *args])


def busrd_values(sessions) -> dict[tuple[str, str], tuple[float, str | None]]:
    with sessions() as session:
        rows = session.execute(
            select(BenchmarkEdition.label, Region.key, BenchmarkValue.value, BenchmarkValue.note)
            .join(BenchmarkEdition, BenchmarkEdition.id == BenchmarkValue.edition_id)
            .join(Region, Region.id == BenchmarkValue.region_id)
            .join(Indicator, Indicator.id == BenchmarkValue.indicator_id)
            .where(Indicator.code == "BUSRD")
        ).all()
    return {(label, key): (value, note) for label, key, value, note in rows}


def test_flat_index_is_row_major_over_id_and_size():
    sizes = [1, 1, 1, 7, 4]
    assert positions(0, sizes) == [0, 0, 0, 0, 0]
    assert positions(18, sizes) == [0, 0, 0, 4, 2]  # NL42, 2012
    assert positions(27, sizes) == [0, 0, 0, 6, 3]


def test_parse_keeps_sparse_values_and_status_flags():
    dataset = parse(document())
    found = {(o.geo, o.time): (o.value, o.status) for o in dataset.observations}
    assert len(found) == 14
    assert found[("NL42", "2012")] == (2.75, "p")
    assert found[("ES12", "2012")] == (0.9, "e")
    assert found[("PL9", "2012")] == (1.5, "b")
    assert found[("DEE0", "2010")] == (1.45, None)
    assert ("UKC1", "2010") not in found
    assert dataset.status_labels["b"] == "break in time series"


def test_parse_reads_dense_arrays_and_list_indexes_too():
    doc = {
        "id": ["geo", "time"],
        "size": [2, 2],
        "dimension": {
            "geo": {"category": {"index": ["NL42", "DEA"]}},
            "time": {"category": {"index": {"2012": 1, "2010": 0}}},
        },
        "value": [1.0, None, 3.0, 4.0],
        "status": "e",
    }
    found = {(o.geo, o.time, o.value, o.status) for o in parse(doc).observations}
    assert found == {
        ("NL42", "2010", 1.0, "e"),
        ("DEA", "2010", 3.0, "e"),
        ("DEA", "2012", 4.0, "e"),
    }


def test_not_json_stat_is_refused():
    with pytest.raises(EurostatError, match="not a JSON-stat dataset"):
        parse({"foo": 1})


@responses.activate
def test_import_maps_years_to_editions_and_keeps_flags_as_notes(
    monkeypatch, database_url, sessions, capsys
):
    responses.get(TEST_API + "rd_e_gerdreg", json=document())
    code = run(
        monkeypatch,
        database_url,
        "rd_e_gerdreg",
        "--indicator",
        "Business R&D expenditure",
        "--filter",
        "sectperf=BES",
        "--filter",
        "unit=PC_GDP",
        "--since",
        "2010",
    )
    out = capsys.readouterr().out
    assert code == 0, out

    [call] = responses.calls
    query = parse_qsl(urlsplit(call.request.url).query)
    assert ("format", "JSON") in query
    assert ("sectperf", "BES") in query
    assert ("unit", "PC_GDP") in query
    assert ("sinceTimePeriod", "2010") in query
    assert {v for k, v in query if k == "geo"} >= {"NL42", "DEE0", "CZ042", "UKD63", "PL9"}

    values = busrd_values(sessions)
    assert values[("2012 update", "limburg")] == (
        2.75,
        "Eurostat rd_e_gerdreg, NL42 2012; flag p (provisional)",
    )
    assert values[("2012 update", "masovia")][1].endswith("flag b (break in time series)")
    assert values[("2010 report", "saxony-anhalt")] == (1.45, "Eurostat rd_e_gerdreg, DEE0 2010")
    # Regions without Eurostat data keep their earlier figures.
    assert values[("2012 update", "usti")][1] is None
    assert "Imported 11 figures." in out
    assert "No edition for 2011, 2013" in out
    assert "No data from Eurostat for: Cheshire West and Chester (UKD63), Novara (ITC15)" in out
    assert "Tees Valley (UKC1)" in out
    assert "Ústí (CZ042)" in out
    assert "2 × p (provisional)" in out
    assert "2010 report, 2012 update: sample editions; they stay labelled as sample" in out


@responses.activate
def test_default_address_and_dry_run(monkeypatch, database_url, sessions, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("EUROSTAT_API_URL", raising=False)
    responses.get(DEFAULT_API_URL + "rd_e_gerdreg", json=document())
    before = snapshot(sessions)
    code = main(["import", "eurostat", "rd_e_gerdreg", "--indicator", "BUSRD", "--dry-run"])
    assert code == 0
    assert "Checked; nothing written." in capsys.readouterr().out
    assert snapshot(sessions) == before


@responses.activate
def test_a_dimension_left_open_asks_for_a_filter(monkeypatch, database_url, sessions, capsys):
    doc = copy.deepcopy(document())
    doc["dimension"]["unit"]["category"]["index"] = {"PC_GDP": 0, "MIO_EUR": 1}
    doc["size"][2] = 2
    responses.get(TEST_API + "rd_e_gerdreg", json=doc)
    before = snapshot(sessions)
    assert run(monkeypatch, database_url, "rd_e_gerdreg", "--indicator", "BUSRD") == 1
    out = capsys.readouterr().out
    assert "The dimension unit has 2 categories (PC_GDP, MIO_EUR)" in out
    assert "--filter unit=<code>" in out
    assert snapshot(sessions) == before


@responses.activate
def test_eurostat_errors_are_reported_and_nothing_changes(
    monkeypatch, database_url, sessions, capsys
):
    responses.get(
        TEST_API + "nope",
        status=404,
        json={"error": [{"status": 404, "id": 100, "label": "Dataset nope does not exist"}]},
    )
    before = snapshot(sessions)
    assert run(monkeypatch, database_url, "nope", "--indicator", "BUSRD") == 1
    assert "Eurostat refused nope (HTTP 404): Dataset nope does not exist" in (
        capsys.readouterr().out
    )
    assert snapshot(sessions) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["rd_e_gerdreg", "--indicator", "happiness"], "Unknown indicator “happiness”."),
        (["rd_e_gerdreg", "--indicator", "BUSRD", "--filter", "unit"], "“unit” is not a filter"),
        (["rd_e_gerdreg", "--indicator", "BUSRD", "--filter", "geo=NL42"], "geo is set by"),
        (["../etc", "--indicator", "BUSRD"], "is not a Eurostat dataset code"),
    ],
)
def test_wrong_arguments_are_explained(monkeypatch, database_url, capsys, args, expected):
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        assert run(monkeypatch, database_url, *args) == 1
    assert expected in capsys.readouterr().out
