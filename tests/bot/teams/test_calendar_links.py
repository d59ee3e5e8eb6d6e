"""The "Add to calendar" button of a Teams reminder: a link to the event's file, since a bot
cannot send files there; without a public address, a note that says so."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import replace

from tests.bot.teams.test_reminders import PUBLIC_URL, say, submit_actions
from tests.support.bot_server import start_bot
from tests.support.teams import USER_AAD_ID, card_buttons, card_text


def open_url_actions(card: dict) -> dict[str, str]:
    """The card's Action.OpenUrl buttons: title -> url."""
    return card_buttons(card, "Action.OpenUrl", "url")


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get("content-type", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def test_add_to_calendar_in_teams_links_to_the_events_file(teams_settings, connector):
    settings = replace(teams_settings, public_url=PUBLIC_URL, coordinators=frozenset({USER_AAD_ID}))
    bot = start_bot(settings)
    try:
        created = say(bot, connector, 'workshop add "Calendar test" in 5 days at 10:00')
        pressed = say(bot, connector, None, value=submit_actions(created)["Add to calendar"])
        assert "cannot be attached" not in card_text(pressed)  # no file it cannot send
        link = open_url_actions(pressed)["Add to calendar"]
        assert link.startswith(f"{PUBLIC_URL}/calendar/event/")
        served = bot.url + link.removeprefix(PUBLIC_URL)
        status, kind, body = fetch(served)
        assert (status, kind.split(";")[0]) == (200, "text/calendar")
        assert b"SUMMARY:Calendar test (W" in body
        assert body.count(b"BEGIN:VEVENT") == 1
        # A changed address, or one from before the group's calendar token was rotated, is
        # not served.
        assert fetch(served[:-6] + ("0" if served[-5] != "0" else "1") + ".ics")[0] == 404
        say(bot, connector, "workshop calendar rotate")
        assert fetch(served)[0] == 404
    finally:
        bot.stop()


def test_add_to_calendar_in_teams_without_a_public_address_says_so(teams_settings, connector):
    settings = replace(teams_settings, public_url="", coordinators=frozenset({USER_AAD_ID}))
    bot = start_bot(settings)
    try:
        created = say(bot, connector, 'workshop add "Calendar test" in 5 days at 10:00')
        pressed = card_text(
            say(bot, connector, None, value=submit_actions(created)["Add to calendar"])
        )
        assert "PUBLIC_URL" in pressed
        assert "console" not in pressed
    finally:
        bot.stop()
