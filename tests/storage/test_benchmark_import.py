"""Benchmark files: both layouts, both formats, every validation error, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.benchmark_import import apply_import, plan_import
from storage.groups import default_group
from storage.models import BenchmarkEdition, BenchmarkValue, Region
from storage.sheets import UnreadableFile, column_name, parse_number, read_sheet
from tests.support.benchmark_files import CODES, to_csv, to_xlsx, wide_csv, wide_rows


def plan(sessions, content: bytes, filename: str = "figures.csv", **options):
    options.setdefault("edition", "2014")
    with sessions() as session:
        group = default_group(session=session)
        return plan_import(
            session=session, group_id=group.id, sheet=read_sheet(content, filename), **options
        )


def messages(result) -> list[tuple[int | None, int | None, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


def value_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(BenchmarkValue))


def test_wide_csv_resolves_aliases_and_nuts_codes(sessions):
    result = plan(sessions, wide_csv())
    assert result.problems == []
    assert result.layout == "wide"
    [edition] = result.editions
    assert (edition.label, edition.year, edition.is_new) == ("2014", 2014, True)
    assert len(edition.values) == 110
    with sessions() as session:
        limburg = session.scalar(select(Region).where(Region.key == "limburg"))
    assert {v.row for v in edition.values if v.region_id == limburg.id} == {9}


def test_wide_xlsx_with_indicator_names_as_headers(sessions):
    rows = wide_rows()
    rows[0][1] = "Tertiary education"
    rows[0][5] = "pct patent applications"
    result = plan(sessions, to_xlsx(rows), "figures.xlsx")
    assert result.problems == []
    assert len(result.editions[0].values) == 110


def test_long_layout_with_edition_column_imports_every_edition_in_it(sessions):
    rows = [["edition", "region", "indicator", "value"]]
    rows += [["2014", "Limburg", "PCT", 6.9], ["2016", "Limburg", "PCT", 7.4]]
    result = plan(sessions, to_csv(rows), edition=None)
    assert result.problems == []
    assert result.layout == "long"
    assert [(e.label, e.year, len(e.values)) for e in result.editions] == [
        ("2014", 2014, 1),
        ("2016", 2016, 1),
    ]
    picked = plan(sessions, to_csv(rows), edition="2016")
    assert [e.label for e in picked.editions] == ["2016"]
    assert "Rows of other editions were left out: 2014." in picked.notes


def test_semicolon_csv_reads_decimal_commas(sessions):
    rows = wide_rows()
    rows[1][2] = "5,2"
    content = to_csv(rows, delimiter=";")
    result = plan(sessions, content)
    assert result.problems == []
    assert 5.2 in {v.value for v in result.editions[0].values}


def test_unknown_region_and_non_numeric_value_are_both_reported_with_rows(sessions):
    rows = wide_rows()
    rows[3][0] = "Atlantis"
    rows[5][4] = "about 2"
    result = plan(sessions, to_csv(rows))
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(4, 1), (6, 5)]
    assert "Unknown region “Atlantis”" in result.problems[0].message
    assert "“about 2” is not a number" in result.problems[1].message


def test_unknown_names_come_with_the_closest_match(sessions):
    rows = wide_rows()
    rows[0][5] = "patents"
    rows[2][0] = "Limbourg-Nord"
    result = plan(sessions, to_csv(rows))
    found = messages(result)
    assert found[0] == (
        1,
        6,
        "Unknown indicator “patents”. Closest: PCT (PCT patent applications), "
        "TERT (Tertiary education), PUBRD (Public R&D expenditure).",
    )
    assert found[1][:2] == (3, 1)
    assert "Unknown region “Limbourg-Nord”. Closest: Limburg," in found[1][2]


SHARE_BOUNDS = "impossible for TERT (% of population 25-64): it must be between 0 and 100"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("140", SHARE_BOUNDS, id="share-over-100"),
        pytest.param("-3", "impossible for TERT", id="negative"),
        pytest.param("", "No value; write the figure, or n/a", id="missing"),
        pytest.param("1,5", "Write decimals with a point", id="decimal-comma"),
    ],
)  # fmt: skip
def test_impossible_and_missing_values(sessions, cell, expected):
    rows = wide_rows()
    rows[2][1] = cell
    found = messages(plan(sessions, to_csv(rows)))
    assert len(found) == 1
    assert found[0][:2] == (3, 2)
    assert expected in found[0][2]


def test_n_a_cells_say_there_is_no_figure(sessions):
    rows = wide_rows()
    rows[2][1] = "n/a"
    rows[3][2] = ":"
    result = plan(sessions, to_csv(rows))
    assert result.problems == []
    assert result.editions[0].no_figures == 2
    assert len(result.editions[0].values) == 108


def test_the_same_figure_twice_is_a_duplicate_even_under_another_name(sessions):
    rows = wide_rows()
    rows.append(["DEA", *rows[2][1:]])  # NRW again, as a NUTS code
    found = messages(plan(sessions, to_csv(rows)))
    assert len(found) == len(CODES)
    assert found[0][:2] == (12, 2)
    assert "North Rhine-Westphalia · TERT is given twice: rows 3 and 12" in found[0][2]


def test_an_indicator_in_two_columns_is_refused(sessions):
    rows = wide_rows()
    rows[0].append("Tertiary education")
    for row in rows[1:]:
        row.append(1)
    found = messages(plan(sessions, to_csv(rows)))
    assert found == [(1, 13, "TERT has two columns: 2 (B) and 13 (M).")]


def test_descriptive_columns_are_read_past(sessions):
    rows = [[*row[:1], "DE" if i else "country", *row[1:]] for i, row in enumerate(wide_rows())]
    result = plan(sessions, to_csv(rows))
    assert result.problems == []
    assert "Columns read past: 2 (B) “country”." in result.notes


def test_an_existing_edition_needs_replace_and_a_new_one_a_year(sessions):
    existing = plan(sessions, wide_csv(), edition="2012 update")
    assert [m for _, _, m in messages(existing)] == [
        "The edition “2012 update” already has 110 figures; replacing them must be asked for "
        "(--replace)."
    ]
    assert plan(sessions, wide_csv(), edition="2012 update", replace=True).ok
    yearless = plan(sessions, wide_csv(), edition="spring update")
    assert [m for _, _, m in messages(yearless)] == [
        "Say the year of the new edition “spring update”, e.g. 2014."
    ]
    assert plan(sessions, wide_csv(), edition="spring update", year=2015).ok


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        pytest.param(b"", "empty.csv", "empty.csv is empty.", id="empty"),
        pytest.param(b"%PDF-1.4", "figures.pdf", "I read .csv and .xlsx files", id="pdf"),
        pytest.param(b"not a zip", "figures.xlsx", "not an Excel workbook", id="broken-xlsx"),
        pytest.param(b"a,b\n1,2,3\n", "ragged.csv", "not a regular table", id="ragged"),
    ],
)
def test_unreadable_files_say_why(content, filename, expected):
    with pytest.raises(UnreadableFile, match=expected):
        read_sheet(content, filename)


def test_numbers_and_column_names():
    assert parse_number("1 234,5", decimal_comma=True) == 1234.5
    assert parse_number("12.5%", decimal_comma=False) == 12.5
    assert parse_number(7, decimal_comma=False) == 7.0
    assert parse_number("1e3", decimal_comma=False) == 1000.0
    assert parse_number("twelve", decimal_comma=False) is None
    assert parse_number("1,5", decimal_comma=False) is None
    assert column_name(1) == "1 (A)"
    assert column_name(28) == "28 (AB)"


def test_apply_writes_a_new_real_edition(sessions):
    result = plan(sessions, wide_csv())
    with sessions.begin() as session:
        group = default_group(session=session)
        apply_import(session=session, group_id=group.id, plan=result, source="test")
    with sessions() as session:
        edition = session.scalar(select(BenchmarkEdition).where(BenchmarkEdition.label == "2014"))
        count = session.scalar(select(func.count()).where(BenchmarkValue.edition_id == edition.id))
    assert (edition.year, edition.is_sample, edition.source, count) == (2014, False, "test", 110)


def test_replacing_a_sample_edition_makes_it_real(sessions):
    result = plan(sessions, wide_csv(), edition="2012 update", replace=True)
    assert result.editions[0].was_sample
    with sessions.begin() as session:
        group = default_group(session=session)
        apply_import(session=session, group_id=group.id, plan=result, source="real figures")
    with sessions() as session:
        edition = session.scalar(
            select(BenchmarkEdition).where(BenchmarkEdition.label == "2012 update")
        )
        values = session.scalars(
            select(BenchmarkValue.value).where(BenchmarkValue.edition_id == edition.id)
        ).all()
    assert edition.is_sample is False
    assert sorted(values) == sorted(v for row in wide_rows()[1:] for v in row[1:])


def test_a_failure_while_writing_leaves_the_database_as_it_was(sessions, monkeypatch):
    before = value_count(sessions)
    result = plan(sessions, wide_csv(), edition="2012 update", replace=True)

    def broken_add_all(self, instances):
        raise RuntimeError("disk full")

    def import_in_one_transaction() -> None:
        with sessions.begin() as session:
            group = default_group(session=session)
            apply_import(session=session, group_id=group.id, plan=result, source="test")

    monkeypatch.setattr("sqlalchemy.orm.Session.add_all", broken_add_all)
    with pytest.raises(RuntimeError):
        import_in_one_transaction()
    monkeypatch.undo()
    assert value_count(sessions) == before
    with sessions() as session:
        edition = session.scalar(
            select(BenchmarkEdition).where(BenchmarkEdition.label == "2012 update")
        )
    assert edition.is_sample is True


def test_a_plan_with_problems_cannot_be_applied(sessions):
    rows = wide_rows()
    rows[1][1] = "lots"
    result = plan(sessions, to_csv(rows))
    with sessions.begin() as session, pytest.raises(ValueError, match="problems"):
        apply_import(session=session, group_id=1, plan=result, source="test")
