"""/benchmark as a person types it, through the core every platform uses."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from commands.benchmark.notes import SAMPLE_NOTE
from commands.reply import Actions, Fields, Paragraph, Table, plain
from storage.models import BenchmarkEdition


def all_text(reply) -> str:
    pieces = [reply.heading or "", plain(reply.footnote or ())]
    for part in reply.parts:
        if isinstance(part, Paragraph):
            pieces.append(plain(part.text))
        elif isinstance(part, Fields):
            pieces += [f"{f.label}: {plain(f.value)}" for f in part.items]
        elif isinstance(part, Table):
            pieces += [" | ".join(c.title for c in part.columns)]
            pieces += [" | ".join(row) for row in part.rows]
        elif isinstance(part, Actions):
            pieces += [b.label for b in part.buttons]
    return "\n".join(pieces)


def test_league_table_ranks_all_ten_partners(core, partner):
    reply = core.run_line(partner, "/benchmark")
    assert not reply.private
    table = next(p for p in reply.parts if isinstance(p, Table))
    assert [c.title for c in table.columns] == ["#", "Region", "Index", "Change"]
    assert len(table.rows) == 10
    assert [row[0] for row in table.rows] == [str(n) for n in range(1, 11)]
    indexes = [float(row[2]) for row in table.rows]
    assert indexes == sorted(indexes, reverse=True)
    assert "2012 update" in reply.heading
    assert SAMPLE_NOTE in plain(reply.footnote)


def test_profile_shows_rank_change_every_indicator_and_extremes(core, partner):
    reply = core.run_line(partner, "/benchmark Limburg")
    text = all_text(reply)
    assert reply.heading == "Limburg: benchmark 2012 update"
    assert "Rank: 1 of 10 partner regions" in text
    assert "Change since 2010 report: +" in text
    indicator_fields = [p for p in reply.parts if isinstance(p, Fields)][1]
    assert len(indicator_fields.items) == 11
    assert "Strongest: " in text
    assert "Weakest: " in text
    assert SAMPLE_NOTE in text


def test_profile_for_an_earlier_edition(core, partner):
    reply = core.run_line(partner, "/benchmark Asturias 2010")
    assert reply.heading == "Asturias: benchmark 2010 report"
    text = all_text(reply)
    assert "Change: first edition" in text
    # The 2010 sample has no permit figure for Asturias: shown as missing, counted as such.
    assert "Data: 10 of 11 indicators" in text


def test_comparison_puts_two_regions_side_by_side(core, partner):
    reply = core.run_line(partner, "/benchmark NRW vs teesside")
    assert reply.heading == "North Rhine-Westphalia vs Tees Valley: benchmark 2012 update"
    table = next(p for p in reply.parts if isinstance(p, Table))
    assert [c.title for c in table.columns] == [
        "Indicator",
        "North Rhine-Westphalia",
        "Tees Valley",
        "Gap",
    ]
    assert len(table.rows) == 11
    # The gap is the difference of the two scores shown, exactly (it used to be off by one).
    for _, first, second, gap in table.rows:
        assert int(gap) == int(first) - int(second)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Limburg vs Limburg", "Both sides are Limburg"),
        ("Limburg vs", "both sides"),
        ("vs Novara", "both sides"),
        ("Limburg vs Atlantis", "Atlantis"),
        ("Limburg vs NRW vs Novara", "two regions at a time"),
        ("Limburg 1999", "no benchmark edition for 1999"),
    ],
)
def test_bad_input_gets_a_private_answer_with_usage(core, partner, typed, says):
    reply = core.run_line(partner, f"/benchmark {typed}")
    assert reply.private
    assert says in all_text(reply)


def test_unknown_region_repeats_the_input_and_offers_closest_regions(core, partner):
    reply = core.run_line(partner, "/benchmark Atlantis")
    assert reply.private
    text = all_text(reply)
    assert "“Atlantis”" in text
    assert "Closest:" in text
    buttons = next(p for p in reply.parts if isinstance(p, Actions)).buttons
    assert len(buttons) == 3
    assert all(b.value.endswith("@2012 update") for b in buttons)


def test_did_you_mean_button_opens_that_profile(core, partner):
    reply = core.run_line(partner, "/benchmark Atlantis")
    button = next(p for p in reply.parts if isinstance(p, Actions)).buttons[0]
    profile = core.run_action(partner, button.action_id, button.value)
    assert profile.heading == f"{button.label}: benchmark 2012 update"


def test_help_lists_the_forms_with_examples(core, partner):
    reply = core.run_line(partner, "/benchmark help")
    assert reply.private
    assert "/benchmark Limburg" in all_text(reply)


def test_real_edition_drops_the_sample_footnote(core, partner, sessions):
    with sessions.begin() as session:
        session.execute(update(BenchmarkEdition).values(is_sample=False))
    reply = core.run_line(partner, "/benchmark Limburg")
    assert SAMPLE_NOTE not in all_text(reply)
    assert "Regional Innovation Scoreboard" in plain(reply.footnote)


def test_change_against_a_sample_edition_is_flagged(core, partner, sessions):
    with sessions.begin() as session:
        latest = session.scalar(select(BenchmarkEdition).where(BenchmarkEdition.year == 2012))
        latest.is_sample = False
    # The change shown is computed against the 2010 sample, so the answer must say so.
    note = plain(core.run_line(partner, "/benchmark Limburg").footnote)
    assert SAMPLE_NOTE not in note
    assert "against the 2010 report, which holds illustrative sample figures" in note
