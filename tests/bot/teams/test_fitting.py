"""Fitting an answer to an Adaptive Card keeps what fits: oversized parts are cut down."""

from __future__ import annotations

import re

from bot.teams import limits, render
from commands.reply import Field, Fields, Paragraph, Reply, UserRef, text
from tests.bot.slack.test_fitting import MORE, add_members, who_reply
from tests.bot.teams.conftest import messages_url
from tests.support.teams import activity, cards, post_activity

PERSON = re.compile(r"person \d+")


def facts(card: dict) -> list[dict]:
    return [fact for e in card["body"] if e["type"] == "FactSet" for fact in e["facts"]]


def test_a_thousand_members_show_every_region_and_count_the_rest():
    card = render.card(who_reply())
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    shown = facts(card)
    assert [f["title"] for f in shown] == [f"Region {n}" for n in range(10)]
    for fact in shown:
        assert len(fact["value"]) <= limits.MAX_FACT_VALUE
        [left_out] = MORE.findall(fact["value"])
        assert len(PERSON.findall(fact["value"])) + int(left_out) == 100
    said = limits_text(card)
    assert "Coordinators:" in said
    assert "chemclust join" in said


def test_facts_in_a_script_of_three_bytes_a_letter_still_show_every_region():
    """Ten facts of 1,000 characters are 30 KB in Chinese: more than a card takes whole."""

    def names(region: int) -> tuple:
        pieces: list = []
        for n in range(200):
            pieces += [", "] if pieces else []
            pieces.append(UserRef(f"{region}-{n}", "漢字成员" * 8))
        return tuple(pieces)

    card = render.card(Reply(parts=(Fields(tuple(Field(f"R{r}", names(r)) for r in range(10))),)))
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    shown = facts(card)
    assert len(shown) == 10
    assert all("漢字成员" in f["value"] and MORE.search(f["value"]) for f in shown)
    assert limits.size(card) > limits.MAX_CARD_BYTES * 0.9


def test_a_very_long_paragraph_is_split_and_the_rest_clipped():
    long_text = " ".join(f"word{n} *not bold* [no link](x)" for n in range(5000))
    card = render.card(Reply(heading="Long", parts=(Paragraph(text(long_text)),)))
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    blocks = [e["text"] for e in card["body"] if e["type"] == "TextBlock"][1:]
    assert all(len(b) <= limits.MAX_TEXT_BLOCK for b in blocks)
    assert blocks[0].startswith("word0 \\*not bold\\* \\[no link\\](x) word1")
    assert blocks[-1].endswith("…")  # the last one clipped, between words
    assert limits.size(card) > limits.MAX_CARD_BYTES * 0.9


def limits_text(card: dict) -> str:
    return "\n".join(e.get("text", "") for e in card["body"])


def test_chemclust_who_with_1000_members_in_teams_shows_every_region(teams_bot, connector):
    sessions = teams_bot.runtime.core.sessions
    regions = add_members(sessions, platform="teams", count=1000, user_id="aad-{:06d}")
    body = activity("chemclust who", service_url=connector.service_url, expect_replies=True)
    [card] = cards(post_activity(messages_url(teams_bot), body).json()["activities"])
    assert limits.size(card) <= limits.MAX_CARD_BYTES
    shown = facts(card)
    assert sorted(f["title"] for f in shown) == sorted(r.name for r in regions)
    for fact in shown:
        [left_out] = MORE.findall(fact["value"]) or ["0"]
        assert len(PERSON.findall(fact["value"])) + int(left_out) == 100
