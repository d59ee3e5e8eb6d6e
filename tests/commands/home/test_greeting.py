"""The short help for text that is no command, the welcome, and the buttons they carry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commands.home.greeting import RUN_ACTION, short_help, welcome
from commands.reply import Actions
from tests.support.events import Clock, make_core, reply_text

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def bot(sessions):
    return make_core(sessions, Clock(NOW))


def lines_of(reply) -> list[str]:
    actions = next(p for p in reply.parts if isinstance(p, Actions))
    return [b.value for b in actions.buttons if b.action_id == RUN_ACTION]


def test_text_that_is_no_command_gets_examples_and_buttons_that_run_commands(bot, partner):
    bot.run_line(partner, "/chemclust join Limburg")
    ctx = bot.context(partner)
    reply = short_help(ctx, "hello <!channel> there")
    shown = reply_text(reply)
    assert reply.private is True
    assert "I do not understand “hello <!channel> there”." in shown
    assert "benchmark Limburg" in shown
    assert lines_of(reply) == [
        "home",
        "benchmark Limburg",
        "benchmark",
        "workshop list",
        "deadline list",
        "chemclust help",
    ]
    for line in lines_of(reply):
        answer = bot.run_action(partner, RUN_ACTION, line)
        assert "Sorry, something went wrong" not in reply_text(answer), line
    profile = reply_text(bot.run_action(partner, RUN_ACTION, "benchmark Limburg"))
    assert "Limburg: benchmark 2012 update" in profile


def test_a_button_with_a_line_no_command_starts_says_so(bot, partner):
    answer = reply_text(bot.run_action(partner, RUN_ACTION, "rm -rf /"))
    assert "That button no longer works" in answer


def test_the_welcome_asks_newcomers_to_join_and_greets_members_by_region(bot, partner):
    newcomer = reply_text(welcome(bot.context(partner)))
    assert "Welcome to the ChemClust Interregional Working Group" in newcomer
    assert "chemclust join <region>" in newcomer
    bot.run_line(partner, "/chemclust join Novara")
    member = welcome(bot.context(partner))
    assert "You represent Novara." in reply_text(member)
    assert "benchmark Novara" in lines_of(member)
