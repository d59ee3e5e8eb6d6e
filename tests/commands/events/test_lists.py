"""/workshop list and /deadline list read the page they show: upcoming events in full up to a
count, history a page at a time, latest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.events import NewEvent, create_event
from storage.groups import default_group
from tests.support.events import Clock, make_core, reply_text

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
# The seed holds five workshops and seminars of 2010–2012; these come on top.
HISTORY = 60
COMING = 30


@pytest.fixture
def bot(sessions):
    with sessions.begin() as session:
        group_id = default_group(session=session).id
        for day in range(1, HISTORY + 1):
            at = datetime(2020, 1, 1, 10, tzinfo=UTC) + timedelta(days=day)
            new = NewEvent("workshop", f"History {day:02}", at, "Europe/Brussels", [])
            create_event(session=session, group_id=group_id, new=new)
        for day in range(1, COMING + 1):
            new = NewEvent("meeting", f"Coming {day:02}", NOW + timedelta(days=day), "UTC", [])
            create_event(session=session, group_id=group_id, new=new)
    return make_core(sessions, Clock(NOW))


def test_upcoming_shows_the_soonest_and_counts_the_rest(bot, coordinator):
    listed = reply_text(bot.run_line(coordinator, "/workshop list"))
    assert "Coming 01" in listed
    assert "Coming 25" in listed
    assert "Coming 26" not in listed
    assert "…and 5 more." in listed
    assert "History" not in listed


def test_history_comes_a_page_at_a_time_latest_first(bot, coordinator):
    first = reply_text(bot.run_line(coordinator, "/workshop list past"))
    assert first.index("History 60") < first.index("History 36")
    assert "History 35" not in first
    assert "…and 40 more: /workshop list past 2" in first

    second = reply_text(bot.run_line(coordinator, "/workshop list past 2"))
    assert "History 35" in second
    assert "History 11" in second
    assert "History 10" not in second
    assert "History 36" not in second
    assert "…and 15 more: /workshop list past 3" in second

    third = reply_text(bot.run_line(coordinator, "/workshop list past 3"))
    assert "History 01" in third
    assert "Chemical Clusters and Innovation Promotion" in third  # the seed's, oldest last
    assert "more" not in third

    beyond = reply_text(bot.run_line(coordinator, "/workshop list past 9"))
    assert "Page 9 is empty: there are 65 in all." in beyond


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("/workshop list past two", "“two” is not a page number"),
        ("/workshop list past 0", "“0” is not a page number"),
        ("/workshop list 2", "takes nothing, “past” or “all”, and after those a page"),
        ("/deadline list upcoming 2", "takes nothing, “past” or “all”, and after those a page"),
    ],
)
def test_a_wrong_page_is_explained(bot, coordinator, line, says):
    reply = bot.run_line(coordinator, line)
    assert reply.private is True
    shown = reply_text(reply)
    assert says in shown
    assert "list [past [<page>]]" in shown
