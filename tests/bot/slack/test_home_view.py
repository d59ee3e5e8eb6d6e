"""The Home as a Slack Home tab: a ``home`` view of at most 100 blocks that Slack accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk.models.views import View

from bot.slack.home_view import home_view
from bot.slack.limits import MAX_VIEW_BLOCKS, problems
from commands.context import Identity
from commands.reply import Paragraph, Reply, text
from storage.models import Reminder
from tests.conftest import COORDINATOR_ID
from tests.support.events import Clock, make_core

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
COORDINATOR = Identity("slack", COORDINATOR_ID, "T0001", "CGENERAL", "coordinator")


def accepted(view: dict) -> dict:
    View(**view).to_dict()  # Slack's own model: type, block count, every block's limits
    assert problems(view["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    return view


def test_a_busy_coordinators_home_is_a_valid_view_with_nothing_cut(sessions):
    core = make_core(sessions, Clock(NOW))
    core.run_line(COORDINATOR, "/chemclust join Novara")
    for day in range(1, 9):
        title = f"Data {day}: a deadline with a title as long as people write <!channel>"
        core.run_line(COORDINATOR, f'/deadline add "{title}" {day + 1} Dec 17:00')
        core.run_line(COORDINATOR, f'/workshop add "Workshop {day}" {day + 1} Dec 10:00 at Leuna')
    for pilot in ("skills", "parks", "open innovation"):
        for _ in range(4):
            core.run_line(COORDINATOR, f"/pilot log {pilot} " + "A long update. " * 40)
    with sessions.begin() as session:
        session.add_all(
            Reminder(
                group_id=1,
                kind="notice",
                due_at=NOW,
                not_before=NOW,
                claimed_at=NOW - timedelta(hours=hours),
                platform="slack",
                target={"channel": "CPILOTS"},
                payload={},
                status="failed",
                last_error="Slack refused the message: channel_not_found. " * 10,
            )
            for hours in range(8)
        )
    view = accepted(home_view(core.run_line(COORDINATOR, "home")))

    assert view["type"] == "home"
    rendered = str(view["blocks"])
    assert "cut to fit" not in rendered
    assert "&lt;!channel&gt;" in rendered  # titles people typed cannot ping through the Home
    contexts = [b for b in view["blocks"] if b["type"] == "context"]
    assert len(contexts) == 1  # the footnote only: nothing was cut by the renderer
    assert "Illustrative sample figures" in contexts[0]["elements"][0]["text"]
    accessories = [b["accessory"]["text"]["text"] for b in view["blocks"] if "accessory" in b]
    assert accessories.count("Mark delivered") == 5
    assert accessories.count("Log an update") == 2  # Novara is in two pilot actions
    assert "…and 3 more" in rendered


def test_a_home_longer_than_a_view_is_cut_at_100_blocks_and_says_so():
    reply = Reply(
        heading="Home",
        parts=tuple(Paragraph(text(f"line {n}")) for n in range(150)),
        footnote=text("Illustrative sample figures."),
    )
    view = accepted(home_view(reply))
    assert len(view["blocks"]) == MAX_VIEW_BLOCKS
    assert view["blocks"][-2]["elements"][0]["text"] == "…and 53 more"
    assert view["blocks"][-1]["elements"][0]["text"] == "Illustrative sample figures."
