"""``benchmark Limburg changes`` and ``benchmark movers`` in Teams, after a real 2014 edition
is imported over the seeded sample: Adaptive Cards from the real web process."""

from __future__ import annotations

from bot.teams import limits
from tests.bot.teams.conftest import messages_url
from tests.commands.benchmark.method import figures_2014, import_real
from tests.support.partners import PARTNER_REGIONS
from tests.support.teams import activity, card_text, cards, post_activity


def card_for(teams_bot, connector, line: str) -> dict:
    body = activity(line, service_url=connector.service_url, expect_replies=True)
    answer = post_activity(messages_url(teams_bot), body)
    assert answer.status == 200, answer.text
    [card] = cards(answer.json()["activities"])
    assert card["type"] == "AdaptiveCard"
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    return card


def test_changes_and_movers_are_cards_after_a_real_import(teams_bot, connector, sessions):
    import_real(sessions, figures_2014())

    changes = card_for(teams_bot, connector, "benchmark Limburg changes")
    assert changes["body"][0]["text"] == "Limburg: what moved from the 2012 update to the 2014"
    shown = card_text(changes)
    assert "28.4 → 32 % of population 25-64" in shown
    assert "Moved the index most" in shown
    assert "The 2012 update holds illustrative sample figures" in shown

    movers = card_for(teams_bot, connector, "benchmark movers")
    assert movers["body"][0]["text"] == "Benchmark 2014: what moved since the 2012 update"
    shown = card_text(movers)
    for region in PARTNER_REGIONS:
        assert region in shown
    assert "Limburg: changes" in shown  # a button to a mover's changes


def test_wrong_movers_request_gets_the_usage(teams_bot, connector):
    card = card_for(teams_bot, connector, "benchmark movers 2010")
    assert "The 2010 report is the first edition" in card_text(card)
    assert "Usage: /benchmark movers" in card_text(card)
