"""``chemclust-bot import benchmark``: what a coordinator types, and what partners then see."""

from __future__ import annotations

from sqlalchemy import select

from bot.cli import main
from commands.reply import plain
from storage.models import BenchmarkEdition, BenchmarkValue
from tests.support.benchmark_files import to_csv, to_xlsx, wide_csv, wide_rows


def cli(monkeypatch, database_url, *args: str) -> int:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return main(["import", "benchmark", *args])


def snapshot(sessions) -> tuple:
    with sessions() as session:
        editions = session.execute(
            select(BenchmarkEdition.label, BenchmarkEdition.is_sample).order_by(BenchmarkEdition.id)
        ).all()
        values = session.execute(
            select(
                BenchmarkValue.edition_id,
                BenchmarkValue.region_id,
                BenchmarkValue.indicator_id,
                BenchmarkValue.value,
            ).order_by(BenchmarkValue.id)
        ).all()
    return tuple(editions), tuple(values)


def reply_text(reply) -> str:
    pieces = [reply.heading or ""]
    for part in reply.parts:
        if hasattr(part, "text"):
            pieces.append(plain(part.text))
        if hasattr(part, "items"):
            pieces += [f"{f.label}: {plain(f.value)}" for f in part.items]
    return "\n".join([*pieces, plain(reply.footnote or ())])


def test_a_wide_csv_as_edition_2014_answers_with_change_since_2012(
    monkeypatch, database_url, tmp_path, core, partner, capsys
):
    path = tmp_path / "benchmark-2014.csv"
    path.write_bytes(wide_csv())

    assert cli(monkeypatch, database_url, str(path), "--edition", "2014") == 0
    out = capsys.readouterr().out
    assert "Imported 110 figures into 2014" in out

    reply = core.run_line(partner, "/benchmark Limburg")
    shown = reply_text(reply)
    assert reply.heading == "Limburg: benchmark 2014"
    assert "Change since 2012 update:" in shown
    assert "first edition" not in shown
    # The 2014 figures are real: no sample-data footnote, only a word on the sample comparison.
    assert "not official ChemClust benchmark data" not in shown
    assert "Change is measured against the 2012 update, which holds illustrative sample" in shown
    older = reply_text(core.run_line(partner, "/benchmark Limburg 2012"))
    assert "not official ChemClust benchmark data" in older


def test_unknown_region_and_non_numeric_value_are_refused_and_nothing_changes(
    monkeypatch, database_url, tmp_path, sessions, capsys
):
    rows = wide_rows()
    rows[3][0] = "Atlantis"
    rows[6][5] = "n.k."
    path = tmp_path / "broken.csv"
    path.write_bytes(to_csv(rows))
    before = snapshot(sessions)

    assert cli(monkeypatch, database_url, str(path), "--edition", "2014") == 1
    out = capsys.readouterr().out
    assert "2 problems; nothing was imported." in out
    assert "Row 4, column 1 (A): Unknown region “Atlantis”." in out
    assert "Row 7, column 6 (F): “n.k.” is not a number." in out
    assert snapshot(sessions) == before


def test_dry_run_writes_nothing(monkeypatch, database_url, tmp_path, sessions, capsys):
    path = tmp_path / "benchmark-2014.xlsx"
    path.write_bytes(to_xlsx(wide_rows()))
    before = snapshot(sessions)
    assert cli(monkeypatch, database_url, str(path), "--edition", "2014", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "110 for 10 regions × 11 indicators" in out
    assert "Dry run: nothing was written." in out
    assert snapshot(sessions) == before


def test_an_existing_edition_is_only_replaced_when_asked(
    monkeypatch, database_url, tmp_path, sessions, capsys
):
    path = tmp_path / "update-2012.csv"
    path.write_bytes(wide_csv())
    before = snapshot(sessions)
    assert cli(monkeypatch, database_url, str(path), "--edition", "2012 update") == 1
    assert "(--replace)" in capsys.readouterr().out
    assert snapshot(sessions) == before

    assert cli(monkeypatch, database_url, str(path), "--edition", "2012 update", "--replace") == 0
    out = capsys.readouterr().out
    assert "replaces its 110 figures; sample data becomes real data" in out
    editions, _ = snapshot(sessions)
    assert ("2012 update", False) in editions


def test_a_missing_file_is_named(monkeypatch, database_url, tmp_path, capsys):
    assert cli(monkeypatch, database_url, str(tmp_path / "nope.csv"), "--edition", "2014") == 2
    assert "no file" in capsys.readouterr().out
