"""The Home tab through the real web process: opened, published, and published again after a
button pressed on it changed something."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.views import View
from sqlalchemy import select

from bot.slack.limits import MAX_VIEW_BLOCKS
from storage.models import EventDelivery, Region
from tests.bot.slack.test_http_endpoint import assert_valid_blocks, block_text
from tests.conftest import COORDINATOR_ID, PARTNER_ID
from tests.support import slack_events as events
from tests.support.slack_requests import answer_to_command, interaction, post_signed

DEADLINE = '"Benchmark data 2014" 15/12/2030 17:00 for all'


def run(slack_bot, mock_slack, line: str, *, user: str) -> dict:
    """Run a command and wait for its answer (a busy machine may defer it past the ack)."""
    name, _, arguments = line.partition(" ")
    return answer_to_command(slack_bot.slack_url, mock_slack, name, arguments, user_id=user)


def open_home(slack_bot, user: str, *, tab: str = "home") -> None:
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": tab}
    event["event_ts"] = events.new_ts()
    assert events.deliver(slack_bot.slack_url, events.event_callback(event)).status == 200


def published(mock_slack, count: int = 1) -> dict:
    call = dict(mock_slack.wait_for("views.publish", count)[count - 1].data)
    if isinstance(call["view"], str):  # the SDK sends it as JSON text
        call["view"] = json.loads(call["view"])
    view = call["view"]
    View(**view).to_dict()  # Slack's own model accepts it
    assert_valid_blocks(view["blocks"])
    assert view["type"] == "home"
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    return call


def button(view: dict, label: str) -> dict:
    found = [
        element
        for block in view["blocks"]
        for element in [block.get("accessory"), *block.get("elements", [])]
        if isinstance(element, dict)
        and element.get("type") == "button"
        and element["text"]["text"] == label
    ]
    assert found, f"no {label!r} button"
    return found[0]


def press_on_home(slack_bot, view: dict, pressed: dict, *, user: str) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "chemclust"},
        "api_app_id": "A0001",
        "trigger_id": "1.2.3",
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home", "callback_id": view.get("callback_id")},
        "actions": [{**pressed, "block_id": "b", "action_ts": events.new_ts()}],
    }
    assert post_signed(slack_bot.slack_url, interaction(payload)).status == 200


@pytest.fixture
def limburg_with_a_deadline(slack_bot, mock_slack):
    run(slack_bot, mock_slack, "/chemclust join Limburg", user=PARTNER_ID)
    run(slack_bot, mock_slack, f"/deadline add {DEADLINE}", user=COORDINATOR_ID)


def test_a_partner_opens_the_home_presses_mark_delivered_and_sees_it_gone(
    slack_bot, mock_slack, limburg_with_a_deadline, sessions
):
    open_home(slack_bot, PARTNER_ID)
    first = published(mock_slack)
    shown = block_text(first["view"]["blocks"])

    assert first["user_id"] == PARTNER_ID
    assert "Limburg" in shown
    assert "index" in shown.lower()
    assert "Benchmark data 2014" in shown

    delivered = button(first["view"], "Mark delivered")
    press_on_home(slack_bot, first["view"], delivered, user=PARTNER_ID)
    again = published(mock_slack, 2)

    assert again["user_id"] == PARTNER_ID
    assert "Mark delivered" not in block_text(again["view"]["blocks"])
    with sessions() as session:
        delivered_by = session.scalars(select(EventDelivery.region_id).join(Region)).all()
        limburg = session.scalar(select(Region.id).where(Region.name == "Limburg"))
    assert delivered_by == [limburg]


def test_a_coordinators_home_lists_the_regions_still_missing(
    slack_bot, mock_slack, limburg_with_a_deadline
):
    open_home(slack_bot, COORDINATOR_ID)
    shown = block_text(published(mock_slack)["view"]["blocks"])

    assert "Benchmark data 2014" in shown
    assert "missing" in shown.lower()
    assert "Limburg" in shown


def test_the_messages_tab_opening_publishes_nothing(slack_bot, mock_slack, limburg_with_a_deadline):
    open_home(slack_bot, PARTNER_ID, tab="messages")
    open_home(slack_bot, PARTNER_ID)
    published(mock_slack)

    assert len(mock_slack.of("views.publish")) == 1


def test_home_buttons_open_their_forms(slack_bot, mock_slack, limburg_with_a_deadline):
    open_home(slack_bot, COORDINATOR_ID)
    home = published(mock_slack)["view"]
    press_on_home(slack_bot, home, button(home, "Add workshop"), user=COORDINATOR_ID)
    opened = mock_slack.wait_for("views.open")[0].data
    assert opened["trigger_id"] == "1.2.3"
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    View(**view).to_dict()
    assert view["type"] == "modal"
    assert view["title"]["text"] == "New workshop"
    # The form's state stays on the server: only its token travels.
    assert set(json.loads(view["private_metadata"])) == {"state"}
