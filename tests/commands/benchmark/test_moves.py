"""What moved, and how fast: ``/benchmark <region> changes``, ``/benchmark movers`` and the
average yearly change, after a real 2014 edition is imported over the seeded sample."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from commands.reply import Actions, plain
from tests.commands.benchmark.method import (
    NAMES,
    all_text,
    directions,
    fields,
    figures_2014,
    import_real,
    rounded,
    sample_figures,
    scales,
    score,
    table,
)

SAMPLE = sample_figures()


def league_index(core, partner, year: str, region: str) -> Decimal:
    rows = table(core.run_line(partner, f"/benchmark {year}"))
    return Decimal(next(r["Index"] for r in rows if r["Region"] == region))


def signed(value: Decimal) -> str:
    return "0.0" if value == 0 else f"{value:+}"


@pytest.fixture
def real_2014(sessions) -> dict:
    figures = figures_2014()
    import_real(sessions, figures)
    return figures


def test_a_regions_changes_show_both_raw_values_the_score_change_and_the_effect(
    core, partner, real_2014
):
    reply = core.run_line(partner, "/benchmark Limburg changes")
    assert not reply.private
    assert reply.heading == "Limburg: what moved from the 2012 update to the 2014"
    shown = fields(reply)
    before = league_index(core, partner, "2012", "Limburg")
    after = league_index(core, partner, "2014", "Limburg")
    assert shown["Index"] == f"{before} → {after} ({signed(after - before)})"
    assert shown["Rank"] == "1 of 10 → 1 of 10"

    # Per indicator: raw values with units, whole scores, their difference, the effect on the
    # index; checked against the method in fractions (the same eleven indicators both times).
    ranges, direction = scales([real_2014]), directions()
    old, new = SAMPLE["2012 update"]["limburg"], real_2014["limburg"]
    effects = {}
    for code, name, unit, value_line in (
        ("TERT", "Tertiary education", "% of population 25-64", "28.4 → 32"),
        ("SKILLS", "Chemical apprentices and trainees", "per 1,000 employees", "38.3 → 52"),
        ("PCT", "PCT patent applications", "per bn EUR GDP", "7.1 → 6.9"),
    ):
        first, second = (score(v[code], ranges[code], direction[code]) for v in (old, new))
        whole_first, whole_second = rounded(first * 100, 0), rounded(second * 100, 0)
        effects[code] = rounded((second - first) / len(ranges) * 100)
        line_one, line_two = shown[name].split("\n")
        assert line_one == f"{value_line} {unit}"
        assert line_two.startswith(f"Score {whole_first}")
        assert f"→ {whole_second} ({signed(whole_second - whole_first)[:-2]}" in line_two or (
            whole_second == whole_first and f"→ {whole_second} (0)" in line_two
        )
        assert line_two.endswith(f"· index {signed(effects[code])}")
    assert "(clipped)" in shown["PCT patent applications"]  # 7.1 lies above the real 6.9

    # The effects add up to the change, give or take rounding; the biggest are named.
    named = [
        Decimal(line.rsplit("index ", 1)[1])
        for value in shown.values()
        if "\n" in value
        for line in [value.split("\n")[1]]
    ]
    assert abs(sum(named) - (after - before)) <= Decimal("0.05") * len(named)
    text = all_text(reply)
    assert "Moved the index most: up Chemical apprentices and trainees +" in text
    assert "; down Lifelong learning -" in text
    assert "not official ChemClust benchmark data" in plain(reply.footnote)  # 2012 is a sample


def test_changes_of_an_earlier_edition_compare_it_with_the_one_before(core, partner):
    reply = core.run_line(partner, "/benchmark Novara 2012 changes")
    assert reply.heading == "Novara: what moved from the 2010 report to the 2012 update"
    assert "stand in until a coordinator imports a real edition" in plain(reply.footnote)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("/benchmark changes", "Say which region's changes to show."),
        ("/benchmark Atlantis changes", "I don't know a partner region called “Atlantis”."),
        ("/benchmark Limburg 2010 changes", "The 2010 report is the first edition"),
        ("/benchmark Limburg 1999 changes", "There is no benchmark edition for 1999."),
        ("/benchmark movers 2010", "The 2010 report is the first edition"),
        ("/benchmark movers soon", "“soon” is not an edition."),
    ],
)
def test_wrong_changes_and_movers_requests_get_private_answers_with_usage(
    core, partner, line, says
):
    reply = core.run_line(partner, line)
    assert reply.private
    text = all_text(reply)
    assert says in text
    assert "Usage:" in text or "/benchmark" in text


def test_movers_rank_regions_and_indicators_by_what_rose_and_fell(core, partner, real_2014):
    reply = core.run_line(partner, "/benchmark movers")
    assert not reply.private
    assert reply.heading == "Benchmark 2014: what moved since the 2012 update"
    regions = table(reply, "Region")
    assert len(regions) == 10
    changes = [Decimal(r["Change"]) for r in regions]
    assert changes == sorted(changes, reverse=True)
    for row in regions:
        assert Decimal(row["Change"]) == Decimal(row["2014"]) - Decimal(row["2012 update"])
        assert row["2014"] == str(league_index(core, partner, "2014", row["Region"]))
    text = all_text(reply)
    top = ", ".join(f"{r['Region']} {r['Change']}" for r in regions[:3])
    assert f"Rose most: {top}." in text
    falling = [r for r in regions[::-1] if r["Change"].startswith("-")]
    bottom = ", ".join(f"{r['Region']} {r['Change']}" for r in falling[:3])
    assert f"Fell most: {bottom}." in text

    # An indicator's move: the partners' average score, over regions scored in both editions.
    indicators = table(reply, "Indicator")
    ranges, direction = scales([real_2014]), directions()
    skills = next(r for r in indicators if r["Indicator"] == "Chemical apprentices and trainees")

    def average(figures) -> Fraction:
        scores = [score(f["SKILLS"], ranges["SKILLS"], direction["SKILLS"]) for f in figures]
        return sum(scores, Fraction(0)) / len(scores)

    regions_both = [k for k in NAMES if "SKILLS" in SAMPLE["2012 update"][k]]
    old = average(SAMPLE["2012 update"][k] for k in regions_both)
    new = average(real_2014[k] for k in regions_both)
    assert (skills["2012 update"], skills["2014"]) == (
        str(rounded(old * 100)),
        str(rounded(new * 100)),
    )
    assert Decimal(skills["Change"]) == Decimal(skills["2014"]) - Decimal(skills["2012 update"])
    moves = [Decimal(r["Change"]) for r in indicators]
    assert moves == sorted(moves, reverse=True)

    # A button under the summary opens a mover's changes.
    buttons = next(p for p in reply.parts if isinstance(p, Actions)).buttons
    assert buttons[0].label == f"{regions[0]['Region']}: changes"
    opened = core.run_action(partner, buttons[0].action_id, buttons[0].value)
    assert opened.heading == f"{regions[0]['Region']}: what moved from the 2012 update to the 2014"
    assert plain(reply.footnote).startswith(
        "The 2012 update holds illustrative sample figures, not official ChemClust benchmark data"
    )


def test_movers_on_the_sample_alone_carry_the_sample_note(core, partner):
    reply = core.run_line(partner, "/benchmark movers")
    assert reply.heading == "Benchmark 2012 update: what moved since the 2010 report"
    assert "stand in until a coordinator imports a real edition" in plain(reply.footnote)


def test_profile_and_trend_show_the_average_yearly_change(core, partner, real_2014):
    first = league_index(core, partner, "2010", "Limburg")
    last = league_index(core, partner, "2014", "Limburg")
    per_year = ((last - first) / 4).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    profile = fields(core.run_line(partner, "/benchmark Limburg"))
    assert profile["Average change"] == f"{signed(per_year)} points a year since the 2010 report"

    trend = core.run_line(partner, "/benchmark Limburg trend")
    assert (
        f"Average change: {signed(per_year)} points a year from the 2010 report to the 2014: "
        f"({last} − {first}) ÷ 4 years." in all_text(trend)
    )
    rows = table(trend)
    assert [r["Year"] for r in rows] == ["2010", "2012", "2014"]
    for before, after in itertools.pairwise(rows):
        years = int(after["Year"]) - int(before["Year"])
        expected = (Decimal(after["Change"]) / years).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        assert after["Per year"] == signed(expected)
    assert trend.files[0].content.startswith(b"\x89PNG")


def test_a_first_edition_has_no_average_change(core, partner):
    profile = fields(core.run_line(partner, "/benchmark Limburg 2010"))
    assert profile["Average change"] == "–"
